/**
 * Turns one invocation's response stream back into an HTTP response for the viewer, the way the Function URL
 * does: parse the prelude into the head (see response-head.ts), stream the body with backpressure, enforce the
 * streamed payload limit, and fail visibly.
 *
 * Failure rules (docs/local-stack.md):
 * - before the head went out (handler threw, bad prelude, timeout, crash): 502 with a JSON error body;
 * - after it: the connection is destroyed without the terminating chunk, so the viewer sees an incomplete
 *   response instead of a short one that looks complete;
 * - body bytes beyond `maxPayloadBytes`: the transfer is cut at the limit and the handler's stream destroyed.
 */
import type { ServerResponse } from 'node:http';
import { pipeline, type Writable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type AbortReason, type FunctionErrorData, noRelease } from '../runtimes/runtime.ts';
import { INTEGRATION_CONTENT_TYPE } from '../runtimes/wire-format.ts';
import { PreludeParser } from './prelude.ts';
import {
  type ContentDecoding,
  errorBody,
  errorHead,
  headForEmptyIntegrationStream,
  headFromPrelude,
  headWithoutPrelude,
  type UrlHeaders,
  type ViewerHead,
} from './response-head.ts';

export interface ViewerResponseOptions {
  readonly res: ServerResponse;
  readonly url: UrlHeaders;
  readonly maxPayloadBytes: number;
  /** Stops the invocation's stream reaching the viewer (the invocation's abort). */
  readonly abortInvocation: (reason: AbortReason) => void;
  readonly log: (message: string) => void;
}

export type Outcome = 'complete' | 'error-response' | 'cut' | 'viewer-gone';

/** What the viewer was sent (for the request log, exchange-record.ts). */
export interface SentSummary {
  /** undefined when no head went out. */
  readonly statusCode: number | undefined;
  /** Header fields sent, lower-case names (repeated fields joined with ", "). */
  readonly headers: Readonly<Record<string, string>>;
  /** Body bytes written to the viewer (an error response's JSON body included). */
  readonly bodyBytes: number;
  /** performance.now() when the head went out. */
  readonly headSentAt: number | undefined;
}

export class ViewerResponse {
  readonly #options: ViewerResponseOptions;
  #mode: 'integration' | 'plain' | undefined;
  #plainContentType = '';
  readonly #parser = new PreludeParser();
  #headSent = false;
  #body: Writable | undefined;
  #bodyBytes = 0;
  #waitingDrain = false;
  #deferredAcks: Array<() => void> = [];
  #outcome: Outcome | undefined;
  readonly #onSettled: Array<(outcome: Outcome) => void> = [];
  #statusCode: number | undefined;
  #sentHeaders: Record<string, string> = {};
  #headSentAt: number | undefined;

  constructor(options: ViewerResponseOptions) {
    this.#options = options;
    options.res.once('close', () => {
      if (this.#outcome === undefined) {
        // On Lambda nothing tells the function; locally its stream is destroyed so the S3 body is released.
        this.#settle(options.res.writableFinished ? 'complete' : 'viewer-gone');
        if (!options.res.writableFinished) options.abortInvocation('viewer-gone');
      }
    });
  }

  get settled(): boolean {
    return this.#outcome !== undefined;
  }

  /** Called once, when the response is over (listeners run in the order they were added). */
  onSettled(callback: (outcome: Outcome) => void): void {
    this.#onSettled.push(callback);
  }

  get sent(): SentSummary {
    return {
      statusCode: this.#statusCode,
      headers: this.#sentHeaders,
      bodyBytes: this.#bodyBytes,
      headSentAt: this.#headSentAt,
    };
  }

  open(contentType: string): void {
    this.#mode = contentType === INTEGRATION_CONTENT_TYPE ? 'integration' : 'plain';
    this.#plainContentType = contentType;
  }

  /**
   * `release` (see InvocationSink.data) runs once the viewer side holds no reference to `chunk`: after the
   * socket's write callback (the bytes are in the kernel), at once when the chunk was copied (prelude parser) or
   * dropped, and never when the connection is destroyed with the write still queued.
   */
  data(chunk: Uint8Array, ack: () => void, release: () => void): void {
    if (this.#outcome !== undefined) {
      ack();
      release();
      return;
    }
    if (this.#headSent) {
      this.#writeBody(chunk, ack, release);
      return;
    }
    if (this.#mode === 'plain' || this.#mode === undefined) {
      this.#sendHead(headWithoutPrelude(this.#plainContentType, this.#options.url));
      this.#writeBody(chunk, ack, release);
      return;
    }
    const step = this.#parser.push(chunk);
    release(); // the parser copies what it keeps; `step.rest` is a view of that copy
    if (step.kind === 'more') {
      ack();
    } else if (step.kind === 'invalid') {
      this.#failBeforeHead(502, 'FunctionError', `invalid response prelude: ${step.reason}`);
      this.#options.abortInvocation('cut');
    } else {
      const head = headFromPrelude(step.prelude, this.#options.url);
      if (!head.ok) {
        this.#failBeforeHead(502, 'FunctionError', `invalid response prelude: ${head.reason}`);
        this.#options.abortInvocation('cut');
        return;
      }
      this.#sendHead(head.head);
      this.#writeBody(step.rest, ack, noRelease);
    }
  }

  end(): void {
    if (this.#outcome !== undefined) return;
    if (!this.#headSent) {
      if (this.#mode === 'integration' && this.#parser.pendingBytes > 0) {
        this.#failBeforeHead(502, 'FunctionError', 'response stream ended inside its prelude');
        return;
      }
      this.#sendHead(
        this.#mode === 'integration'
          ? headForEmptyIntegrationStream(this.#options.url)
          : headWithoutPrelude(this.#plainContentType, this.#options.url),
      );
    }
    this.#body?.end();
  }

  /** The function failed (handler error, destroyed stream, crash, timeout). */
  fail(error: FunctionErrorData, errorType = 'FunctionError'): void {
    const detail = `${error.errorType}: ${error.errorMessage}${error.stack === undefined ? '' : `\n${error.stack}`}`;
    if (this.#outcome !== undefined) {
      this.#options.log(`function error after the response was ${this.#outcome}: ${detail}`);
      return;
    }
    if (!this.#headSent) {
      this.#options.log(`function error before the first byte -> ${502}: ${detail}`);
      this.#failBeforeHead(502, errorType);
    } else {
      this.#options.log(`function error after the first byte -> connection cut: ${detail}`);
      this.#cut();
    }
  }

  /** Refuses the request before invoking (413). */
  refuse(statusCode: number, errorType: string, message: string): void {
    this.#failBeforeHead(statusCode, errorType, message);
  }

  #sendHead(head: ViewerHead): void {
    const { res } = this.#options;
    const flat: string[] = [];
    for (const [name, value] of head.headers) flat.push(name, value);
    res.writeHead(head.statusCode, flat);
    res.flushHeaders();
    this.#headSent = true;
    this.#recordHead(head);
    this.#body = head.decode === undefined ? res : this.#decoderTo(head.decode, res);
    this.#body.on('drain', () => this.#releaseAcks());
    res.once('finish', () => this.#settle('complete'));
  }

  #decoderTo(coding: ContentDecoding, res: ServerResponse): Writable {
    const decoder =
      coding === 'gzip' ? createGunzip() : coding === 'deflate' ? createInflate() : createBrotliDecompress();
    pipeline(decoder, res, (error) => {
      if (error !== undefined && error !== null && this.#outcome === undefined) {
        this.#options.log(`decoding the ${coding} body failed -> connection cut: ${error.message}`);
        this.#cut();
      }
    });
    return decoder;
  }

  #writeBody(chunk: Uint8Array, ack: () => void, release: () => void): void {
    const body = this.#body;
    if (body === undefined || chunk.byteLength === 0) {
      ack();
      release();
      return;
    }
    const room = this.#options.maxPayloadBytes - this.#bodyBytes;
    if (chunk.byteLength > room) {
      if (room > 0) body.write(chunk.subarray(0, room), () => release());
      this.#bodyBytes += room;
      this.#options.log(`streamed payload exceeded ${this.#options.maxPayloadBytes} bytes -> transfer cut`);
      this.#options.abortInvocation('cut');
      this.#cut();
      return;
    }
    this.#bodyBytes += chunk.byteLength;
    // The write callback runs once the bytes are written out (or the write failed): only then is `chunk` free.
    // Through a decoder it runs once zlib has consumed the input.
    const accepted = body.write(chunk, () => release());
    if (accepted && !this.#waitingDrain) {
      ack();
    } else {
      this.#waitingDrain = true;
      this.#deferredAcks.push(ack);
    }
  }

  #releaseAcks(): void {
    this.#waitingDrain = false;
    const acks = this.#deferredAcks;
    this.#deferredAcks = [];
    for (const ack of acks) ack();
  }

  #failBeforeHead(statusCode: number, errorType: string, message?: string): void {
    if (message !== undefined) this.#options.log(message);
    const { res } = this.#options;
    const head = errorHead(statusCode, errorType, this.#options.url);
    const flat: string[] = [];
    for (const [name, value] of head.headers) flat.push(name, value);
    const body = errorBody(statusCode);
    flat.push('Content-Length', String(Buffer.byteLength(body)));
    this.#headSent = true;
    this.#recordHead(head);
    this.#bodyBytes = Buffer.byteLength(body);
    this.#settle('error-response');
    res.writeHead(head.statusCode, flat);
    res.end(body);
  }

  /** Ends the viewer's connection without the terminating chunk: visibly incomplete, never silently short. */
  #cut(): void {
    this.#settle('cut');
    this.#options.res.destroy();
  }

  #recordHead(head: ViewerHead): void {
    this.#statusCode = head.statusCode;
    this.#headSentAt = performance.now();
    const sent: Record<string, string> = {};
    for (const [name, value] of head.headers) {
      const key = name.toLowerCase();
      sent[key] = sent[key] === undefined ? value : `${sent[key]}, ${value}`;
    }
    this.#sentHeaders = sent;
  }

  #settle(outcome: Outcome): void {
    if (this.#outcome !== undefined) return;
    this.#outcome = outcome;
    this.#deferredAcks = [];
    for (const callback of this.#onSettled) callback(outcome);
  }
}
