/**
 * Concatenates fixed byte strings and bodies into one Readable, strictly in order, for multipart/byteranges
 * (RFC 9110 section 14.6): part head, part bytes, next part head, ..., closing boundary.
 *
 * Bodies are started one at a time: a segment given as a factory is only created when its turn comes, so each
 * part's S3 read is opened lazily and at most one S3 body is open at once. Backpressure is passed through
 * (the current body is paused while the consumer is full). If any body fails, the whole stream is destroyed
 * with that error (the response must end visibly incomplete, never skip a part). Destroying this stream
 * destroys the current body and every body not yet started, so no S3 socket outlives the response.
 */
import { Readable } from 'node:stream';
import { discard } from '../storage/discard-body.ts';

export type Segment = Buffer | Readable | (() => Readable);

export class SequenceBody extends Readable {
  readonly #segments: Segment[];
  #index = 0;
  #current: Readable | undefined;
  #detach: (() => void) | undefined;

  constructor(segments: readonly Segment[]) {
    super();
    this.#segments = [...segments];
  }

  override _read(): void {
    this.#pump();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#detach?.();
    this.#detach = undefined;
    const pending = [this.#current, ...this.#segments.slice(this.#index)];
    this.#current = undefined;
    this.#index = this.#segments.length;
    for (const segment of pending) {
      if (segment instanceof Readable) discard(segment);
    }
    callback(error);
  }

  #pump(): void {
    while (!this.destroyed) {
      if (this.#current !== undefined) {
        this.#current.resume();
        return;
      }
      const segment = this.#segments[this.#index];
      this.#index += 1;
      if (segment === undefined) {
        this.push(null);
        return;
      }
      if (Buffer.isBuffer(segment)) {
        if (!this.push(segment)) return;
        continue;
      }
      this.#follow(segment instanceof Readable ? segment : segment());
      return;
    }
  }

  #follow(body: Readable): void {
    this.#current = body;
    const onData = (chunk: Buffer): void => {
      if (!this.push(chunk)) body.pause();
    };
    const onEnd = (): void => {
      this.#detach?.();
      this.#detach = undefined;
      this.#current = undefined;
      this.#pump();
    };
    const onError = (error: Error): void => {
      this.destroy(error);
    };
    // A body closed without 'end' or 'error' (destroyed by someone else) must not leave the sequence hanging.
    const onClose = (): void => {
      this.destroy(new Error('a multipart part body closed before its end'));
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
    this.#detach = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
  }
}
