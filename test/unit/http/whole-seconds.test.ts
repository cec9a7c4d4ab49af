import { wholeSeconds } from '../../../lambda/http/whole-seconds.ts';

describe('wholeSeconds', () => {
  test.each<[string, Date | undefined, number | undefined]>([
    ['missing', undefined, undefined],
    ['invalid date', new Date(Number.NaN), undefined],
    ['whole second', new Date(1_000_000), 1000],
    ['milliseconds are truncated, not rounded', new Date(1_000_999), 1000],
    ['before the epoch truncates towards the past', new Date(-1), -1],
  ])('%s', (_name, date, expected) => {
    // Prepare: the date above
    // Act
    const seconds = wholeSeconds(date);
    // Assess
    expect(seconds).toBe(expected);
  });
});
