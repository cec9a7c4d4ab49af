import { contentRange } from '../../../lambda/http/content-range.ts';

describe('contentRange', () => {
  test('a satisfied range: bytes first-last/complete-length (RFC 9110 14.4)', () => {
    // Prepare
    const range = { start: 0, end: 1 };
    // Act
    const value = contentRange(10000, range);
    // Assess
    expect(value).toBe('bytes 0-1/10000');
  });

  test('an unsatisfied range: bytes */complete-length (RFC 9110 15.5.17)', () => {
    // Prepare: no range
    // Act
    const value = contentRange(0);
    // Assess
    expect(value).toBe('bytes */0');
  });
});
