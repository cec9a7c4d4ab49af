/**
 * The single entry of the HLS-from-DASH room, loaded lazily by the request path only when a `.m3u8` key does
 * not exist in S3 (a stored object of that name always wins). It generates the playlist (generate-playlist.ts),
 * derives its validators from the sources (playlist-etag.ts), and then answers like any stored object through
 * the same pure planner: conditional requests, Range (single and multipart), HEAD, CORS and Cache-Control
 * (the MPD's or MP4's stored Cache-Control, else the default), with the slices served from memory.
 */
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { type HttpPolicy, planResponse } from '../http/plan-response.ts';
import type { ObjectFacts, RequestFacts } from '../http/types.ts';
import { type BuiltResponse, buildResponse } from '../respond/build-response.ts';
import { generatePlaylist } from './generate-playlist.ts';
import { playlistAddress } from './playlist-address.ts';
import { newestModified, playlistEtag } from './playlist-etag.ts';
import { type RecordingSourceReader, s3SourceReader } from './read-sources.ts';
import { UnplayableSourceError } from './unplayable-source.ts';

export const PLAYLIST_CONTENT_TYPE = 'application/vnd.apple.mpegurl';

export interface GeneratedPlaylistContext {
  readonly s3: S3Client;
  readonly bucket: string;
  /** The requested key (ends with `.m3u8`), which S3 said does not exist. */
  readonly key: string;
  readonly request: RequestFacts;
  readonly policy: HttpPolicy;
  readonly requestId: string;
  readonly boundary: string;
  readonly idleTimeoutMs: number;
  /** Called before each S3 request the generator makes. */
  readonly onS3Request: () => void;
}

/** The generated body and the facts the planner needs about it. */
export interface GeneratedPlaylist {
  readonly body: Buffer;
  readonly facts: ObjectFacts;
}

export async function generateForKey(context: GeneratedPlaylistContext): Promise<GeneratedPlaylist> {
  const address = playlistAddress(context.key);
  if (address === undefined) throw new UnplayableSourceError(404, 'no playlist of that name');
  const reader = sourceReaderFor(context);
  const text = await generatePlaylist(address, reader);
  const sources = [...reader.sources.values()];
  const body = Buffer.from(text, 'utf8');
  const etag = playlistEtag(context.key, sources);
  const lastModified = newestModified(sources);
  const cacheControl = sources[0]?.cacheControl;
  return {
    body,
    facts: {
      size: body.byteLength,
      contentType: PLAYLIST_CONTENT_TYPE,
      ...(etag === undefined ? {} : { etag }),
      ...(lastModified === undefined ? {} : { lastModified }),
      ...(cacheControl === undefined ? {} : { cacheControl }),
    },
  };
}

/** The generator's S3 reads for this request, counted in its log line. */
export function sourceReaderFor(context: GeneratedPlaylistContext): RecordingSourceReader {
  return s3SourceReader({
    client: context.s3,
    bucket: context.bucket,
    requestId: context.requestId,
    onRequest: context.onS3Request,
  });
}

export async function serveGeneratedPlaylist(context: GeneratedPlaylistContext): Promise<BuiltResponse> {
  const generated = await generateForKey(context);
  return serveFromMemory(context, generated);
}

/** Plans and builds the answer for bytes held in memory (also used for rewritten stored playlists). */
export function serveFromMemory(
  context: Pick<GeneratedPlaylistContext, 'key' | 'request' | 'policy' | 'boundary' | 'idleTimeoutMs'>,
  { body, facts }: GeneratedPlaylist,
): Promise<BuiltResponse> {
  const plan = planResponse(context.request, context.key, facts, context.policy, context.boundary);
  const slice = (start: number, end: number) => ({
    body: Readable.from([body.subarray(start, end + 1)]),
    servedRange: { start, end },
  });
  return buildResponse(plan, {
    first: body.byteLength === 0 ? undefined : slice(0, body.byteLength - 1),
    openRange: async (range) => slice(range.start, range.end),
    // A playlist is far below the response budget; a redirect to S3 would name a key that does not exist.
    presign: () => Promise.reject(new Error('a generated playlist is never redirected')),
    resumeAttempts: 0,
    idleTimeoutMs: context.idleTimeoutMs,
  });
}
