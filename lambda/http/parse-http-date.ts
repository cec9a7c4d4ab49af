import { trimOws } from './trim-ows.ts';

/**
 * Parse an HTTP-date (RFC 9110 5.6.7): the preferred IMF-fixdate and the two obsolete formats every recipient
 * MUST accept, rfc850-date and asctime-date.
 *
 *   IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT
 *   rfc850-date  Sunday, 06-Nov-94 08:49:37 GMT
 *   asctime-date Sun Nov  6 08:49:37 1994
 *
 * Strict, because an unparseable date makes the field be ignored (RFC 9110 13.1.3, 13.1.4, 13.1.5), which is
 * always safe, while a misread date answers with the wrong bytes: HTTP-date is case-sensitive, the spacing
 * is exact, the zone is GMT only, day, month, hour, minute and second must exist on the calendar, and the
 * day name must be the one that date falls on (no sender generates anything else). Date.parse is not used:
 * it accepts far more than HTTP allows and differs between engines.
 *
 * `now` (milliseconds since the epoch) resolves the two-digit rfc850 year: RFC 9110 5.6.7 says a timestamp
 * that appears to be more than 50 years in the future is the most recent past year with those digits.
 */
export function parseHttpDate(value: string, now: number = Date.now()): Date | undefined {
  const text = trimOws(value);
  return parseImfFixdate(text) ?? parseRfc850Date(text, now) ?? parseAsctimeDate(text);
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Fixed-width patterns: nothing to backtrack over. `\d` without the `u` flag is ASCII 0-9 only.
const IMF_FIXDATE = /^([A-Za-z]{3}), (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^([A-Za-z]{6,9}), (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^([A-Za-z]{3}) ([A-Za-z]{3}) ( \d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

interface Fields {
  readonly dayName: number;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function parseImfFixdate(text: string): Date | undefined {
  const m = IMF_FIXDATE.exec(text);
  if (m === null) return undefined;
  const [, dayName, day, month, year, hour, minute, second] = m;
  return toDate(fields(DAY_NAMES, dayName, year, month, day, hour, minute, second));
}

function parseRfc850Date(text: string, now: number): Date | undefined {
  const m = RFC850_DATE.exec(text);
  if (m === null) return undefined;
  const [, dayName, day, month, twoDigitYear, hour, minute, second] = m;
  const parsed = fields(LONG_DAY_NAMES, dayName, twoDigitYear, month, day, hour, minute, second);
  return toDate({ ...parsed, year: fullYear(parsed, now) });
}

function parseAsctimeDate(text: string): Date | undefined {
  const m = ASCTIME_DATE.exec(text);
  if (m === null) return undefined;
  const [, dayName, month, day, hour, minute, second, year] = m;
  // date3 = month SP ( 2DIGIT / ( SP DIGIT ) ): " 6" and "06" are both the sixth.
  return toDate(fields(DAY_NAMES, dayName, year, month, day?.trimStart(), hour, minute, second));
}

function fields(dayNames: readonly string[], ...parts: ReadonlyArray<string | undefined>): Fields {
  const [dayName, year, month, day, hour, minute, second] = parts;
  return {
    dayName: dayNames.indexOf(dayName ?? ''),
    year: Number(year),
    month: MONTHS.indexOf(month ?? ''),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
  };
}

/**
 * rfc850-date carries two year digits. Pick the year with those digits that is not more than 50 years after
 * `now` and not 100 or more years before that limit (RFC 9110 5.6.7).
 */
function fullYear(parsed: Fields, now: number): number {
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() + 50);
  const thisYear = new Date(now).getUTCFullYear();
  const century = thisYear - (thisYear % 100);
  let year = century + parsed.year;
  if (utc({ ...parsed, year }) > limit.getTime()) year -= 100;
  else if (utc({ ...parsed, year: year + 100 }) <= limit.getTime()) year += 100;
  return year;
}

function toDate(parsed: Fields): Date | undefined {
  if (!isValid(parsed)) return undefined;
  return new Date(utc(parsed));
}

function isValid(f: Fields): boolean {
  if (f.month < 0 || f.dayName < 0) return false;
  if (f.day < 1 || f.day > daysInMonth(f.year, f.month)) return false;
  // time-of-day runs 00:00:00 - 23:59:60; the 60 is a leap second (RFC 9110 5.6.7).
  if (f.hour > 23 || f.minute > 59 || f.second > 60) return false;
  return weekday(f.year, f.month, f.day) === f.dayName;
}

/** Milliseconds since the epoch; a leap second is read as the :59 it extends, keeping the calendar day. */
function utc(f: Fields): number {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(f.year, f.month, f.day);
  date.setUTCHours(f.hour, f.minute, Math.min(f.second, 59), 0);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  if (month === 1) return isLeapYear(year) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month] ?? 0;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function weekday(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  return date.getUTCDay();
}
