/**
 * Validators of a generated playlist. Its bytes are a function of the generator, the requested key and the
 * bytes of its sources, so a strong ETag (RFC 9110 section 8.8.3) can be derived from the sources' own ETags:
 * it changes when any source is overwritten or when GENERATOR_VERSION is bumped (bump it whenever the output
 * for the same sources changes). Last-Modified is the newest source's.
 */
import { createHash } from 'node:crypto';
import type { ObjectFacts } from '../http/types.ts';

export const GENERATOR_VERSION = 'hls-from-dash/1';

/** The quoted strong ETag, or undefined when a source has none (then the answer carries no ETag). */
export function playlistEtag(key: string, sources: readonly ObjectFacts[]): string | undefined {
  const hash = createHash('sha256').update(GENERATOR_VERSION).update('\n').update(key);
  for (const source of sources) {
    if (source.etag === undefined) return undefined;
    hash.update('\n').update(source.etag);
  }
  return `"${hash.digest('base64url').slice(0, 32)}"`;
}

export function newestModified(sources: readonly ObjectFacts[]): Date | undefined {
  let newest: Date | undefined;
  for (const { lastModified } of sources) {
    if (lastModified !== undefined && (newest === undefined || lastModified > newest)) newest = lastModified;
  }
  return newest;
}
