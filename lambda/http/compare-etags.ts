import type { EntityTag } from './entity-tag.ts';

/**
 * Strong comparison (RFC 9110 8.8.3.2): both tags are strong and their opaque-tags are identical.
 * Used by If-Match (13.1.1) and If-Range (13.1.5), where only byte-identical representations may match.
 */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/**
 * Weak comparison (RFC 9110 8.8.3.2): the opaque-tags are identical, whether or not either is weak.
 * Used by If-None-Match (13.1.2).
 */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}
