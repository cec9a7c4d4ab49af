/**
 * Reads a Readable to its end or its error and reports which one it was: a body that ends cleanly short and a
 * body destroyed with an error must be told apart, because only the second is visibly incomplete.
 */
import type { Readable } from 'node:stream';

export interface Collected {
  readonly data: Buffer;
  /** True when 'end' was emitted (a clean end). */
  readonly ended: boolean;
  readonly error: Error | undefined;
}

export function collect(stream: Readable): Promise<Collected> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let ended = false;
    let error: Error | undefined;
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => {
      ended = true;
    });
    stream.once('error', (cause: Error) => {
      error = cause;
    });
    stream.once('close', () => resolve({ data: Buffer.concat(chunks), ended, error }));
  });
}
