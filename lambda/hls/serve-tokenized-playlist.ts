/**
 * A playlist (stored, or generated when none is stored) requested with a signed URL whose custom policy covers
 * its URIs: answered with the token on every URI (propagate-token.ts). The answer belongs to one viewer, so it
 * is `Cache-Control: private, no-store` (RFC 9111 sections 5.2.2.5 and 5.2.2.7): no shared cache, CloudFront
 * included, may keep it for another viewer. Its ETag is derived from the source's and the token, so a
 * conditional request with another viewer's validator never matches.
 */
import { createHash } from 'node:crypto';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { BuiltResponse } from '../respond/build-response.ts';
import { type PlaylistTokenPolicy, tokenizePlaylist, tokenPropagation } from './propagate-token.ts';
import {
  type GeneratedPlaylist,
  type GeneratedPlaylistContext,
  generateForKey,
  PLAYLIST_CONTENT_TYPE,
  serveFromMemory,
  sourceReaderFor,
} from './serve-generated-playlist.ts';
import { UnplayableSourceError } from './unplayable-source.ts';

/** A stored playlist is read whole to be rewritten; larger ones are refused rather than truncated. */
export const MAX_STORED_PLAYLIST_BYTES = 1024 * 1024;

export const TOKENIZED_CACHE_CONTROL = 'private, no-store';

export interface TokenizedPlaylistContext extends GeneratedPlaylistContext {
  /** The request as it arrived, signing parameters included. */
  readonly event: LambdaFunctionURLEvent;
  readonly tokens: PlaylistTokenPolicy;
}

/** undefined when the request carries no token to propagate (canned policy, cookies): serve as usual. */
export async function serveTokenizedPlaylist(context: TokenizedPlaylistContext): Promise<BuiltResponse | undefined> {
  const token = tokenPropagation(context.event, context.tokens);
  if (token === undefined) return undefined;
  const source = await storedOrGenerated(context);
  const text = tokenizePlaylist(source.body.toString('utf8'), token);
  const body = Buffer.from(text, 'utf8');
  const etag =
    source.facts.etag === undefined
      ? undefined
      : `"${createHash('sha256').update(source.facts.etag).update('\n').update(token.query).digest('base64url').slice(0, 32)}"`;
  return serveFromMemory(context, {
    body,
    facts: {
      ...source.facts,
      size: body.byteLength,
      cacheControl: TOKENIZED_CACHE_CONTROL,
      ...(etag === undefined ? {} : { etag }),
    },
  });
}

async function storedOrGenerated(context: GeneratedPlaylistContext): Promise<GeneratedPlaylist> {
  const reader = sourceReaderFor(context);
  try {
    const stored = await reader.read(context.key, undefined, MAX_STORED_PLAYLIST_BYTES);
    const facts = reader.sources.get(context.key);
    return {
      body: Buffer.from(stored.bytes),
      facts: { ...facts, size: stored.size, contentType: facts?.contentType ?? PLAYLIST_CONTENT_TYPE },
    };
  } catch (error) {
    if (error instanceof UnplayableSourceError && error.statusCode === 404) return generateForKey(context);
    throw error;
  }
}
