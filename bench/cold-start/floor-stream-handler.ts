/**
 * The floor of serving: a streaming Lambda handler that answers `bytes=a-b` of the bench's objects without S3
 * and without the SDK, generating the bytes from the objects' keystreams (bench/support/keystream.ts, key and
 * nonce given in BENCH_FLOOR_OBJECTS), 64 KiB at a time, waiting for `drain` like a pipe would. Run by the same
 * runtime interface client as the deployed bundle and the seed pattern, it shows what Node, the client and the
 * Runtime API cost per request and while streaming (CPU, RSS growth) before any origin code: what no origin
 * under this client can go below. Its CPU per GiB includes generating the bytes (AES-CTR), so that column is an
 * upper bound of the floor, not the floor.
 */
import { once } from 'node:events';
import { createKeystream, type Keystream } from '../support/keystream.ts';

interface FloorObject {
  readonly size: number;
  readonly key: string;
  readonly nonce: string;
}

const CHUNK = 64 * 1024;
const described = JSON.parse(process.env.BENCH_FLOOR_OBJECTS ?? '{}') as Record<string, FloorObject>;
const objects = new Map<string, { readonly size: number; readonly keystream: Keystream }>(
  Object.entries(described).map(([name, o]) => [
    name,
    { size: o.size, keystream: createKeystream(Buffer.from(o.key, 'hex'), Buffer.from(o.nonce, 'hex')) },
  ]),
);

export const handler = awslambda.streamifyResponse(
  async (
    event: { rawPath: string; headers: Record<string, string | undefined> },
    responseStream: awslambda.HttpResponseStream,
  ): Promise<void> => {
    const object = objects.get(decodeURIComponent(event.rawPath.slice(1)));
    const match = /^bytes=(\d+)-(\d+)$/.exec(event.headers.range ?? '');
    if (object === undefined || match === null) {
      awslambda.HttpResponseStream.from(responseStream, { statusCode: 400 }).end();
      return;
    }
    const start = Number(match[1]);
    const end = Math.min(Number(match[2]), object.size - 1);
    const stream = awslambda.HttpResponseStream.from(responseStream, {
      statusCode: 206,
      headers: { 'content-range': `bytes ${start}-${end}/${object.size}`, 'accept-ranges': 'bytes' },
    });
    const next = object.keystream.readerAt(start);
    for (let offset = start; offset <= end; offset += CHUNK) {
      if (!stream.write(next(Math.min(CHUNK, end - offset + 1)))) await once(stream, 'drain');
    }
    stream.end();
  },
);
