import { type EntityTag, readEntityTag } from './entity-tag.ts';
import { trimOws } from './trim-ows.ts';

/**
 * Parse an If-Match or If-None-Match field value: `"*" / #entity-tag` (RFC 9110 13.1.1, 13.1.2).
 *
 * Empty list elements and OWS around commas are accepted (RFC 9110 5.6.1.2). A malformed member (a missing
 * quote, an unquoted tag, `*` mixed with tags, junk between tags) makes the whole value the EMPTY list, which
 * matches nothing. The choice is the safe one in both directions: for If-Match it means 412 (we cannot show
 * the client's precondition holds, so the request is not performed), for If-None-Match it means "no tag
 * matched", so the client gets the full representation instead of a 304 it could misapply.
 */
export function parseEtagList(value: string): '*' | readonly EntityTag[] {
  const text = trimOws(value);
  if (text === '*') return '*';
  const tags: EntityTag[] = [];
  let pos = 0;
  while (pos < text.length) {
    pos = skipOws(text, pos);
    if (pos === text.length) break;
    if (text[pos] === ',') {
      pos++; // empty list element
      continue;
    }
    const read = readEntityTag(text, pos);
    if (read === undefined) return [];
    tags.push(read.tag);
    pos = skipOws(text, read.next);
    if (pos === text.length) break;
    if (text[pos] !== ',') return [];
    pos++;
  }
  return tags;
}

function skipOws(text: string, start: number): number {
  let pos = start;
  while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos++;
  return pos;
}
