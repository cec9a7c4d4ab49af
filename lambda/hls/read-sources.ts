/**
 * The generator's S3 reads: bounded ranged GetObjects through the project's readObject (same error mapping,
 * same client), each body read to at most the bytes asked for and then released. Remembers what each source
 * said (ETag, Last-Modified, Cache-Control) for the generated playlist's validators.
 */
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { NotFoundError } from '../errors.ts';
import type { ObjectFacts } from '../http/types.ts';
import { discard } from '../storage/discard-body.ts';
import { readObject } from '../storage/read-object.ts';
import { RangeNotSatisfiableSignal } from '../storage/storage-errors.ts';
import type { SourceBytes, SourceReader } from './generate-playlist.ts';
import type { InclusiveRange } from './parse-mpd.ts';
import { UnplayableSourceError, unplayable } from './unplayable-source.ts';

export interface S3SourceReaderOptions {
  readonly client: S3Client;
  readonly bucket: string;
  readonly requestId: string;
  /** Called before every S3 request (the request log counts them). */
  readonly onRequest: () => void;
}

export interface RecordingSourceReader extends SourceReader {
  /** Facts of every source read, in order of first read (one entry per key). */
  readonly sources: ReadonlyMap<string, ObjectFacts>;
}

/** Reads at most `limit` bytes of `body`, then releases it. */
async function collect(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      chunks.push(buffer);
      total += buffer.byteLength;
      if (total >= limit) break;
    }
  } finally {
    discard(body);
  }
  return Buffer.concat(chunks, total).subarray(0, limit);
}

export function s3SourceReader(options: S3SourceReaderOptions): RecordingSourceReader {
  const sources = new Map<string, ObjectFacts>();
  return {
    sources,
    async read(key: string, range: InclusiveRange | undefined, maxBytes: number): Promise<SourceBytes> {
      // A whole read asks for one byte more than allowed, so "too large" is known from the answer's size.
      const asked = range ?? { start: 0, end: maxBytes };
      options.onRequest();
      let result: Awaited<ReturnType<typeof readObject>>;
      try {
        result = await readObject(
          options.client,
          { bucket: options.bucket, key },
          { op: 'get', range: `bytes=${asked.start}-${asked.end}` },
          options.requestId,
        );
      } catch (error) {
        if (error instanceof NotFoundError) {
          throw new UnplayableSourceError(404, 'the source this playlist is generated from does not exist', {
            cause: error,
          });
        }
        if (error instanceof RangeNotSatisfiableSignal) {
          throw new UnplayableSourceError(422, 'the source is empty or shorter than its index says', {
            cause: error,
          });
        }
        throw error;
      }
      const known = sources.get(key);
      if (known !== undefined && known.etag !== result.facts.etag) {
        discard(result.body);
        throw unplayable('a source changed while the playlist was generated; retry');
      }
      if (known === undefined) sources.set(key, result.facts);
      if (range === undefined && result.facts.size > maxBytes) {
        discard(result.body);
        throw unplayable(`the source is larger than ${maxBytes} bytes`);
      }
      const served = result.servedRange;
      if (result.body === undefined || served === null) {
        discard(result.body);
        return { bytes: new Uint8Array(0), size: result.facts.size };
      }
      // A store that ignores Range sends more than asked: keep only the asked slice.
      if (served.start > asked.start) {
        discard(result.body);
        throw unplayable('the store answered a different byte range than asked');
      }
      const wanted = Math.min(asked.end, served.end) - asked.start + 1;
      const bytes = await collect(result.body, asked.start - served.start + wanted);
      return { bytes: bytes.subarray(asked.start - served.start), size: result.facts.size };
    },
  };
}
