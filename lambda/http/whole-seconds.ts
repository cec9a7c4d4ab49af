/**
 * A timestamp truncated to whole seconds since the epoch, or undefined when there is none (missing or
 * invalid Date). HTTP-date has one-second resolution (RFC 9110 5.6.7) while S3's LastModified may carry
 * milliseconds; comparing truncated values keeps `Last-Modified` we send and the date a client echoes back equal.
 */
export function wholeSeconds(date: Date | undefined): number | undefined {
  if (date === undefined) return undefined;
  const ms = date.getTime();
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}
