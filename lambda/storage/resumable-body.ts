/**
 * A Readable of exactly the bytes [start, end] of one object version, fed by S3 bodies that may fail.
 *
 * Once the status line is out, a failed S3 body can no longer become an error status, and the SDK never
 * retries a streamed body (docs/platform.md, "Amazon S3 and the SDK"). So when the current S3 body errors, goes idle,
 * closes early or ends short, this stream re-reads `bytes=<next>-<end>` through `open` (which pins the version
 * with If-Match = the ETag first served, so two versions are never spliced), up to `resumeAttempts` times with
 * backoff. When it gives up (attempts spent, or 412/404: the version is gone) it destroys itself with a
 * BodyIncompleteError so the response is VISIBLY incomplete; it never ends cleanly short of `end`.
 *
 * It owns every S3 body it is given or opens, and destroys each one on every path (done, failure, its own
 * destroy) so sockets return to the pool (aws-sdk-js-v3 #6691).
 */
import { Readable } from 'node:stream';
import { HttpError } from '../errors.ts';
import type { ByteRange } from '../http/types.ts';
import { discard } from './discard-body.ts';
import { BodyIncompleteError, ObjectChangedError } from './storage-errors.ts';

/** An S3 body and the slice of the object it carries (from its Content-Range). */
export interface OpenedBody {
  readonly body: Readable;
  readonly servedRange: ByteRange | null;
}

/** Opens a GetObject for `range`, pinned to the version being served. Rejects with mapped storage errors. */
export type OpenRange = (range: ByteRange) => Promise<OpenedBody>;

export interface ResumeEvent {
  readonly attempt: number;
  readonly nextByte: number;
  readonly cause: unknown;
}

export interface ResumableBodyOptions {
  /** Exactly these bytes are emitted, in order. */
  readonly range: ByteRange;
  /** An S3 body already open (the handler's first read). Its served slice must contain range.start. */
  readonly first?: OpenedBody;
  readonly open: OpenRange;
  /** 0 disables resuming (e.g. when there is no ETag to pin the version with). */
  readonly resumeAttempts: number;
  /** Max silence while the consumer is waiting for bytes; then the S3 body is abandoned and resumed. */
  readonly idleTimeoutMs: number;
  readonly backoffMs?: (attempt: number) => number;
  readonly onResume?: (event: ResumeEvent) => void;
}

const defaultBackoff = (attempt: number): number => Math.min(1000, 100 * 2 ** (attempt - 1));

/** Failures after which re-reading cannot help: the pinned version is gone or the request is refused. */
function isPermanent(error: unknown): boolean {
  return error instanceof ObjectChangedError || (error instanceof HttpError && error.statusCode < 500);
}

export class ResumableBody extends Readable {
  readonly #range: ByteRange;
  readonly #open: OpenRange;
  readonly #maxAttempts: number;
  readonly #idleTimeoutMs: number;
  readonly #backoffMs: (attempt: number) => number;
  readonly #onResume: ((event: ResumeEvent) => void) | undefined;
  /** Next byte of the object to emit. */
  #position: number;
  #attempts = 0;
  #pending: OpenedBody | undefined;
  #source: Readable | undefined;
  #detachSource: (() => void) | undefined;
  /** Bytes to drop from the head of the current source (a store that served from before `#position`). */
  #skip = 0;
  /** Last byte of the object the current source carries (its Content-Range end). */
  #sourceEnd = -1;
  #opening = false;
  #idleTimer: NodeJS.Timeout | undefined;
  #backoffTimer: NodeJS.Timeout | undefined;

  constructor(options: ResumableBodyOptions) {
    super();
    this.#range = options.range;
    this.#open = options.open;
    this.#maxAttempts = options.resumeAttempts;
    this.#idleTimeoutMs = options.idleTimeoutMs;
    this.#backoffMs = options.backoffMs ?? defaultBackoff;
    this.#onResume = options.onResume;
    this.#position = options.range.start;
    this.#pending = options.first;
  }

  /** Resume attempts made so far (for the log line). */
  get resumes(): number {
    return this.#attempts;
  }

  /** Bytes emitted so far. */
  get delivered(): number {
    return this.#position - this.#range.start;
  }

  override _read(): void {
    if (this.#source !== undefined) {
      if (this.#source.isPaused()) {
        this.#source.resume();
        this.#armIdle();
      }
      return;
    }
    if (this.#pending !== undefined) {
      const pending = this.#pending;
      this.#pending = undefined;
      this.#attach(pending);
      return;
    }
    if (!this.#opening && this.#backoffTimer === undefined && this.#position <= this.#range.end) {
      this.#openNext();
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#clearIdle();
    if (this.#backoffTimer !== undefined) clearTimeout(this.#backoffTimer);
    this.#backoffTimer = undefined;
    this.#release();
    if (this.#pending !== undefined) {
      discard(this.#pending.body);
      this.#pending = undefined;
    }
    callback(error);
  }

  #openNext(): void {
    this.#opening = true;
    const wanted = { start: this.#position, end: this.#range.end };
    this.#open(wanted).then(
      (opened) => {
        this.#opening = false;
        if (this.destroyed) {
          discard(opened.body);
          return;
        }
        this.#attach(opened);
      },
      (error: unknown) => {
        this.#opening = false;
        if (this.destroyed) return;
        this.#fail(error, isPermanent(error) ? 'the object version is no longer available' : 'S3 read failed');
      },
    );
  }

  #attach(opened: OpenedBody): void {
    const { body, servedRange } = opened;
    if (servedRange === null || servedRange.start > this.#position || servedRange.end < this.#position) {
      discard(body);
      const served = servedRange === null ? 'nothing' : `bytes ${servedRange.start}-${servedRange.end}`;
      this.#fail(new Error(`store served ${served} for a read starting at byte ${this.#position}`), 'wrong slice');
      return;
    }
    this.#skip = this.#position - servedRange.start;
    this.#sourceEnd = servedRange.end;
    this.#source = body;
    let settled = false;
    const onData = (chunk: Buffer): void => this.#onData(chunk);
    const onEnd = (): void => {
      settled = true;
      this.#fail(new Error(`S3 body ended at byte ${this.#position}, before byte ${this.#range.end}`), 'ended early');
    };
    const onError = (error: Error): void => {
      settled = true;
      this.#fail(error, 'S3 body failed');
    };
    const onClose = (): void => {
      if (!settled) this.#fail(new Error('S3 body closed before its end'), 'closed early');
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
    this.#detachSource = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
    this.#armIdle();
  }

  #onData(data: Buffer): void {
    let chunk = data;
    if (this.#skip > 0) {
      if (chunk.length <= this.#skip) {
        this.#skip -= chunk.length;
        this.#armIdle();
        return;
      }
      chunk = chunk.subarray(this.#skip);
      this.#skip = 0;
    }
    const remaining = this.#range.end - this.#position + 1;
    if (chunk.length >= remaining) {
      // Everything promised has arrived: release the S3 body at once (it may carry more than we need).
      this.#position += remaining;
      this.#clearIdle();
      if (chunk.length === remaining && this.#sourceEnd === this.#range.end) this.#releaseAtEnd();
      else this.#release();
      this.push(chunk.subarray(0, remaining));
      this.push(null);
      return;
    }
    this.#position += chunk.length;
    if (this.push(chunk)) {
      this.#armIdle();
    } else {
      // Backpressure from the viewer is not S3 going idle: stop the clock until _read asks again.
      this.#source?.pause();
      this.#clearIdle();
    }
  }

  #fail(cause: unknown, reason: string): void {
    this.#clearIdle();
    this.#release();
    if (this.destroyed) return;
    if (isPermanent(cause) || this.#attempts >= this.#maxAttempts) {
      this.destroy(new BodyIncompleteError(this.#range, this.delivered, this.#attempts, reason, { cause }));
      return;
    }
    this.#attempts += 1;
    this.#onResume?.({ attempt: this.#attempts, nextByte: this.#position, cause });
    this.#backoffTimer = setTimeout(() => {
      this.#backoffTimer = undefined;
      if (!this.destroyed) this.#openNext();
    }, this.#backoffMs(this.#attempts));
  }

  #release(): void {
    this.#detachSource?.();
    this.#detachSource = undefined;
    if (this.#source !== undefined) discard(this.#source);
    this.#source = undefined;
  }

  /** The source just delivered its last byte: let it end on its own so its socket goes back to the pool. */
  #releaseAtEnd(): void {
    const source = this.#source;
    this.#detachSource?.();
    this.#detachSource = undefined;
    this.#source = undefined;
    if (source === undefined) return;
    source.on('error', () => {});
    source.resume();
  }

  /**
   * (Re)starts the idle clock. Called for every chunk, so an armed timer is restarted with refresh()
   * rather than replaced: a clearTimeout + setTimeout pair per 64 KiB chunk is measurable on a long stream.
   */
  #armIdle(): void {
    // push() can synchronously deliver to a consumer that destroys us; no timer may outlive the stream.
    if (this.destroyed) {
      this.#clearIdle();
      return;
    }
    if (this.#idleTimer !== undefined) {
      this.#idleTimer.refresh();
      return;
    }
    this.#idleTimer = setTimeout(this.#onIdle, this.#idleTimeoutMs);
  }

  readonly #onIdle = (): void => {
    this.#idleTimer = undefined;
    this.#fail(new Error(`S3 body idle for ${this.#idleTimeoutMs} ms`), 'S3 body went idle');
  };

  #clearIdle(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }
}
