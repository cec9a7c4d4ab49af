import fc from 'fast-check';
import { parseHttpDate } from '../../../lambda/http/parse-http-date.ts';

const NOW = Date.UTC(2026, 5, 1); // 2026-06-01T00:00:00Z
const RFC_EXAMPLE = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('parseHttpDate', () => {
  test.each<[string, string, number]>([
    // RFC 9110 5.6.7: the same instant in the three formats
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT', RFC_EXAMPLE],
    ['rfc850-date', 'Sunday, 06-Nov-94 08:49:37 GMT', RFC_EXAMPLE],
    ['asctime-date, space-padded day', 'Sun Nov  6 08:49:37 1994', RFC_EXAMPLE],
    ['asctime-date, two-digit day', 'Sun Nov 06 08:49:37 1994', RFC_EXAMPLE],
    ['asctime-date, day >= 10', 'Wed Nov 16 08:49:37 1994', Date.UTC(1994, 10, 16, 8, 49, 37)],
    ['field OWS is not part of the value', ' \tSun, 06 Nov 1994 08:49:37 GMT\t ', RFC_EXAMPLE],
    ['the epoch', 'Thu, 01 Jan 1970 00:00:00 GMT', 0],
    ['29 February of a leap year', 'Thu, 29 Feb 2024 00:00:00 GMT', Date.UTC(2024, 1, 29)],
    ['29 February 2000 (divisible by 400)', 'Tue, 29 Feb 2000 12:00:00 GMT', Date.UTC(2000, 1, 29, 12)],
    ['leap second reads as :59 of the same day', 'Sat, 31 Dec 2016 23:59:60 GMT', Date.UTC(2016, 11, 31, 23, 59, 59)],
    ['end of day', 'Sat, 31 Dec 2016 23:59:59 GMT', Date.UTC(2016, 11, 31, 23, 59, 59)],
  ])('%s: %j', (_name, value, expected) => {
    // Prepare: the value above
    // Act
    const date = parseHttpDate(value, NOW);
    // Assess
    expect(date?.getTime()).toBe(expected);
  });

  test('a four-digit year below 100 is not shifted into the 1900s', () => {
    // Prepare
    const value = 'Fri, 01 Jan 0010 00:00:00 GMT';
    // Act
    const date = parseHttpDate(value, NOW);
    // Assess
    expect(date?.getUTCFullYear()).toBe(10);
    expect(date?.getUTCMonth()).toBe(0);
    expect(date?.getUTCDate()).toBe(1);
  });

  test.each<[string, number, string, number]>([
    // RFC 9110 5.6.7: more than 50 years in the future -> most recent past year with those digits
    ['same year', NOW, 'Thursday, 01-Jan-26 00:00:00 GMT', Date.UTC(2026, 0, 1)],
    ['2000', NOW, 'Saturday, 01-Jan-00 00:00:00 GMT', Date.UTC(2000, 0, 1)],
    ['44 years ahead stays in the future', NOW, 'Wednesday, 01-Jan-70 00:00:00 GMT', Date.UTC(2070, 0, 1)],
    ['one day inside the 50 years', NOW, 'Sunday, 31-May-76 00:00:00 GMT', Date.UTC(2076, 4, 31)],
    ['one day past the 50 years -> 1976', NOW, 'Wednesday, 02-Jun-76 00:00:00 GMT', Date.UTC(1976, 5, 2)],
    ['99 -> 1999', NOW, 'Friday, 01-Jan-99 00:00:00 GMT', Date.UTC(1999, 0, 1)],
    ['late century now: 10 -> 2110', Date.UTC(2090, 0, 1), 'Wednesday, 01-Jan-10 00:00:00 GMT', Date.UTC(2110, 0, 1)],
    ['late century now: 45 -> 2045', Date.UTC(2090, 0, 1), 'Sunday, 01-Jan-45 00:00:00 GMT', Date.UTC(2045, 0, 1)],
    ['late century now: 39 -> 2139', Date.UTC(2090, 0, 1), 'Thursday, 01-Jan-39 00:00:00 GMT', Date.UTC(2139, 0, 1)],
    ['1999 now: 48 -> 2048', Date.UTC(1999, 0, 1), 'Wednesday, 01-Jan-48 00:00:00 GMT', Date.UTC(2048, 0, 1)],
  ])('rfc850 two-digit year, %s', (_name, now, value, expected) => {
    // Prepare: `now` above
    // Act
    const date = parseHttpDate(value, now);
    // Assess
    expect(date?.getTime()).toBe(expected);
  });

  test('rfc850 weekday is checked against the year the 50-year rule chose', () => {
    // Prepare: 01-Jan-99 is 1999 (a Friday) from 2026; 2099-01-01 was a Thursday
    const value = 'Thursday, 01-Jan-99 00:00:00 GMT';
    // Act
    const date = parseHttpDate(value, NOW);
    // Assess
    expect(date).toBeUndefined();
  });

  test('the default `now` is the current time', () => {
    // Prepare: a two-digit year 10 years back is in this century, whatever today is
    const year = new Date().getUTCFullYear() - 10;
    const yy = String(year % 100).padStart(2, '0');
    const weekday = new Date(Date.UTC(year, 0, 1)).toUTCString().slice(0, 3);
    const long = {
      Sun: 'Sunday',
      Mon: 'Monday',
      Tue: 'Tuesday',
      Wed: 'Wednesday',
      Thu: 'Thursday',
      Fri: 'Friday',
      Sat: 'Saturday',
    }[weekday];
    // Act
    const date = parseHttpDate(`${long}, 01-Jan-${yy} 00:00:00 GMT`);
    // Assess
    expect(date?.getUTCFullYear()).toBe(year);
  });

  test.each([
    ['empty', ''],
    ['garbage', 'garbage'],
    ['UTC zone', 'Sun, 06 Nov 1994 08:49:37 UTC'],
    ['numeric zone', 'Sun, 06 Nov 1994 08:49:37 +0000'],
    ['no zone', 'Sun, 06 Nov 1994 08:49:37'],
    ['lower-case zone', 'Sun, 06 Nov 1994 08:49:37 gmt'],
    ['lower-case day name', 'sun, 06 Nov 1994 08:49:37 GMT'],
    ['upper-case month', 'Sun, 06 NOV 1994 08:49:37 GMT'],
    ['unknown day name', 'Sux, 06 Nov 1994 08:49:37 GMT'],
    ['wrong weekday', 'Sat, 06 Nov 1994 08:49:37 GMT'],
    ['unknown month', 'Sun, 06 Foo 1994 08:49:37 GMT'],
    ['one-digit day', 'Sun, 6 Nov 1994 08:49:37 GMT'],
    ['day 00', 'Sun, 00 Nov 1994 08:49:37 GMT'],
    ['31 November', 'Thu, 31 Nov 1994 08:49:37 GMT'],
    ['29 February 2023', 'Wed, 29 Feb 2023 00:00:00 GMT'],
    ['29 February 1900 (not a leap year)', 'Thu, 29 Feb 1900 00:00:00 GMT'],
    ['hour 24', 'Sun, 06 Nov 1994 24:00:00 GMT'],
    ['minute 60', 'Sun, 06 Nov 1994 08:60:00 GMT'],
    ['second 61', 'Sun, 06 Nov 1994 08:49:61 GMT'],
    ['one-digit hour', 'Sun, 06 Nov 1994 8:49:37 GMT'],
    ['double space', 'Sun,  06 Nov 1994 08:49:37 GMT'],
    ['no comma', 'Sun 06 Nov 1994 08:49:37 GMT'],
    ['two-digit year in IMF-fixdate', 'Sun, 06 Nov 94 08:49:37 GMT'],
    ['long day name in IMF-fixdate', 'Sunday, 06 Nov 1994 08:49:37 GMT'],
    ['short day name in rfc850', 'Sun, 06-Nov-94 08:49:37 GMT'],
    ['four-digit year in rfc850', 'Sunday, 06-Nov-1994 08:49:37 GMT'],
    ['asctime with one space before a one-digit day', 'Sun Nov 6 08:49:37 1994'],
    ['asctime with a zone', 'Sun Nov  6 08:49:37 1994 GMT'],
    ['ISO 8601', '1994-11-06T08:49:37Z'],
    ['epoch seconds', '784111777'],
    ['a list of dates', 'Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT'],
    ['trailing junk', 'Sun, 06 Nov 1994 08:49:37 GMTx'],
    ['what Date.parse accepts', 'November 6, 1994'],
    ['full-width digits', 'Sun, \uff10\uff16 Nov 1994 08:49:37 GMT'],
  ])('invalid: %s', (_name, value) => {
    // Prepare: the value above
    // Act
    const date = parseHttpDate(value, NOW);
    // Assess
    expect(date).toBeUndefined();
  });

  const instant = fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59) });

  test('property: IMF-fixdate written by toUTCString parses back to the same second', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        // Prepare
        const value = new Date(ms).toUTCString();
        // Act
        const date = parseHttpDate(value, NOW);
        // Assess
        expect(date?.getTime()).toBe(Math.floor(ms / 1000) * 1000);
      }),
    );
  });

  test('property: asctime and IMF-fixdate of the same instant agree', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        // Prepare: Sun, 06 Nov 1994 08:49:37 GMT -> Sun Nov  6 08:49:37 1994
        const [dayName, day, month, year, time] = new Date(ms).toUTCString().replace(',', '').split(' ');
        const asctime = `${dayName} ${month} ${String(Number(day)).padStart(2, ' ')} ${time} ${year}`;
        // Act
        const date = parseHttpDate(asctime, NOW);
        // Assess
        expect(date?.getTime()).toBe(Math.floor(ms / 1000) * 1000);
      }),
    );
  });

  test('property: junk never throws', () => {
    const junk = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('S', 'u', 'n', ',', ' ', '0', '6', 'N', 'o', 'v', ':', 'G', 'M', 'T', '-') }),
    );
    fc.assert(
      fc.property(junk, (value) => {
        // Prepare / Act
        const date = parseHttpDate(value, NOW);
        // Assess
        expect(date === undefined || !Number.isNaN(date.getTime())).toBe(true);
      }),
    );
  });
});
