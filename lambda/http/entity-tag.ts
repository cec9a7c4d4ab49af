import { trimOws } from './trim-ows.ts';

/**
 * An entity-tag (RFC 9110 8.8.3): `opaque` is the opaque-tag WITH its double quotes, exactly as sent, so two
 * tags match when the strings are equal character by character (RFC 9110 8.8.3.2).
 */
export interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

/**
 * Read one entity-tag starting at `start`: `entity-tag = [ weak ] opaque-tag`, `weak = %s"W/"` (case-sensitive),
 * `opaque-tag = DQUOTE *etagc DQUOTE`, `etagc = %x21 / %x23-7E / obs-text`. obs-text is %x80-FF on the wire;
 * a header decoded as UTF-8 turns those bytes into characters above U+00FF, so every non-ASCII character is
 * accepted as obs-text (such a tag never equals an S3 ETag, which is ASCII hex).
 * Returns the tag and the index just after it, or undefined.
 */
export function readEntityTag(text: string, start: number): { tag: EntityTag; next: number } | undefined {
  let pos = start;
  const weak = text.startsWith('W/', pos);
  if (weak) pos += 2;
  if (text.charCodeAt(pos) !== 0x22) return undefined;
  const open = pos;
  pos++;
  while (pos < text.length && isEtagc(text.charCodeAt(pos))) pos++;
  if (text.charCodeAt(pos) !== 0x22) return undefined;
  pos++;
  return { tag: { weak, opaque: text.slice(open, pos) }, next: pos };
}

/** Parse a field value that must be exactly one entity-tag (If-Range, a stored ETag). */
export function parseEntityTag(value: string): EntityTag | undefined {
  const text = trimOws(value);
  const read = readEntityTag(text, 0);
  return read !== undefined && read.next === text.length ? read.tag : undefined;
}

/** The field value for an ETag header. */
export function formatEntityTag(tag: EntityTag): string {
  return tag.weak ? `W/${tag.opaque}` : tag.opaque;
}

export function isEtagc(code: number): boolean {
  return code === 0x21 || (code >= 0x23 && code <= 0x7e) || code >= 0x80;
}
