/**
 * Entity-tag parsing and comparison (RFC 9110 8.8.3), gathered for callers that want one import.
 * Each function lives in its own file.
 */
export { strongMatch, weakMatch } from './compare-etags.ts';
export { type EntityTag, formatEntityTag, parseEntityTag } from './entity-tag.ts';
export { parseEtagList } from './parse-etag-list.ts';
export { storedEtag } from './stored-etag.ts';
