/**
 * Reads the first `length` bytes of an S3 body without consuming them: they are put back with
 * `readable.unshift()` (https://nodejs.org/api/stream.html#readableunshiftchunk-encoding, meant for a parser
 * that must look at data before handing the stream on), so the same body can still be streamed from byte 0.
 *
 * Resolves undefined when the bytes cannot be had (the body fails, ends early or stays silent for `timeoutMs`);
 * the body is then unusable and the caller must discard it (the plain-GET rule redirects, which does).
 */
import type { Readable } from 'node:stream';

export function peekBody(body: Readable, length: number, timeoutMs: number): Promise<Buffer | undefined> {
  if (length <= 0) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const settle = (result: Buffer | undefined): void => {
      clearTimeout(timer);
      body.off('readable', onReadable);
      body.off('end', onEnd);
      body.off('error', onError);
      resolve(result);
    };
    const onReadable = (): void => {
      while (received < length) {
        const chunk: unknown = body.read();
        if (chunk === null) return;
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        chunks.push(bytes);
        received += bytes.length;
      }
      const all = Buffer.concat(chunks);
      // Synchronously, before 'end' can be emitted: unshift after 'end' is an error.
      body.unshift(all);
      settle(all.subarray(0, length));
    };
    const onEnd = (): void => settle(undefined);
    const onError = (): void => settle(undefined);
    const timer = setTimeout(() => settle(undefined), timeoutMs);
    body.on('readable', onReadable);
    body.once('end', onEnd);
    body.once('error', onError);
  });
}
