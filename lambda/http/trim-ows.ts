/**
 * Remove leading and trailing OWS (SP / HTAB, RFC 9110 5.6.3), as a field value excludes them (RFC 9110 5.5).
 * A loop, not `/[ \t]+$/`, which backtracks quadratically on long runs of whitespace.
 */
export function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}
