import { strongMatch } from './compare-etags.ts';
import { parseEntityTag } from './entity-tag.ts';
import { parseHttpDate } from './parse-http-date.ts';
import { storedEtag } from './stored-etag.ts';
import { trimOws } from './trim-ows.ts';
import type { ObjectFacts } from './types.ts';
import { wholeSeconds } from './whole-seconds.ts';

/**
 * Evaluate If-Range (RFC 9110 13.1.5): true means "honour the Range header", false means "send the whole
 * representation with 200". Absent -> true.
 *
 * - An entity-tag: true only when it strongly matches the current ETag. A weak tag never does (clients
 *   MUST NOT send one, and a weak match cannot prove the bytes are identical).
 * - An HTTP-date: true only when it exactly equals Last-Modified, in whole seconds; there is no
 *   "not modified since" leniency for If-Range.
 * - Anything else (junk, an empty value, a list): false, so the client gets the full, consistent representation.
 */
export function evaluateIfRange(value: string | undefined, object: ObjectFacts): boolean {
  if (value === undefined) return true;
  const text = trimOws(value);
  if (text.startsWith('"') || text.startsWith('W/')) {
    const tag = parseEntityTag(text);
    const current = storedEtag(object.etag);
    return tag !== undefined && current !== undefined && strongMatch(tag, current);
  }
  const date = wholeSeconds(parseHttpDate(text));
  const lastModified = wholeSeconds(object.lastModified);
  return date !== undefined && lastModified !== undefined && date === lastModified;
}
