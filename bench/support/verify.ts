/**
 * Response checks shared by every measurement: a measured response that is not exactly what a player asked
 * for (status, Content-Range, length, and — where cheap enough — the bytes themselves) fails the bench.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Keystream } from './keystream.ts';

export interface ContentRange {
  readonly start: number;
  readonly end: number;
  readonly size: number;
}

export function parseContentRange(headers: IncomingHttpHeaders): ContentRange | null {
  const value = headers['content-range'];
  if (value === undefined) return null;
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value);
  if (!match) throw new Error(`malformed Content-Range: ${value}`);
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

/** onChunk callback comparing a body that should hold bytes [start, ...) of the object, chunk by chunk. */
export function bytesChecker(keystream: Keystream, start: number): (chunk: Buffer, offset: number) => void {
  const next = keystream.readerAt(start);
  return (chunk, offset) => {
    if (!next(chunk.length).equals(chunk)) throw new Error(`wrong bytes at object offset ${start + offset}`);
  };
}

export function expectRange(
  what: string,
  response: { readonly status: number; readonly headers: IncomingHttpHeaders; readonly bytes: number },
  expected: ContentRange,
): void {
  const range = parseContentRange(response.headers);
  const ok =
    response.status === 206 &&
    range !== null &&
    range.start === expected.start &&
    range.end === expected.end &&
    range.size === expected.size &&
    response.bytes === expected.end - expected.start + 1;
  if (!ok) {
    throw new Error(
      `${what}: expected 206 bytes ${expected.start}-${expected.end}/${expected.size}, got ${response.status} ` +
        `Content-Range ${response.headers['content-range']} with ${response.bytes} body bytes`,
    );
  }
}
