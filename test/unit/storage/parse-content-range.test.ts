import { describe, expect, test } from '@jest/globals';
import { parseContentRange } from '../../../lambda/storage/parse-content-range.ts';

describe('parseContentRange', () => {
  test.each([
    ['bytes 0-1/1000', { range: { start: 0, end: 1 }, size: 1000 }],
    ['bytes 999-999/1000', { range: { start: 999, end: 999 }, size: 1000 }],
    ['bytes 0-5497558138879/5497558138880', { range: { start: 0, end: 5497558138879 }, size: 5497558138880 }],
  ])('%s', (value, expected) => {
    // Act / Assess
    expect(parseContentRange(value)).toEqual(expected);
  });

  test.each([
    undefined,
    '',
    'bytes */1000',
    'bytes 5-4/1000',
    'bytes 0-1000/1000',
    'bytes 0-1/*',
    'items 0-1/10',
    'bytes -1-2/10',
    'bytes 0-99999999999999999999/999999999999999999999',
  ])('%s is not trusted', (value) => {
    // Act / Assess
    expect(parseContentRange(value)).toBeUndefined();
  });
});
