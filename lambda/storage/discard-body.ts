/**
 * Releases an S3 body we no longer want (HEAD, 304, 412, 416, re-reads, errors, finished slices). destroy()
 * closes its socket: an unread IncomingMessage would otherwise hold it, and after the agent's sockets are all
 * held the client hangs (aws-sdk-js-v3 #6691). The no-op error listener keeps a late socket error on the
 * abandoned body from becoming an uncaught 'error' event.
 */
import type { Readable } from 'node:stream';

const ignore = (): void => {};

export function discard(body: Readable | undefined): void {
  if (body === undefined) return;
  body.on('error', ignore);
  if (!body.destroyed) body.destroy();
}
