/**
 * The `responseStream` a streaming handler receives, built like the Lambda Node.js runtime builds it
 * (runtime interface client, src/stream/response-stream.ts): a writable whose bytes go to the Runtime API, with
 * `setContentType()` (allowed only before the first write), a `_onBeforeFirstWrite` hook that
 * `HttpResponseStream.from()` uses to emit the prelude, non-buffer chunks JSON-stringified, and backpressure
 * (`write()` returns false above highWaterMark). The handler gets a plain object exposing only the Writable
 * members the runtime exposes, not the stream itself, so code that relies on anything else fails here as on AWS.
 */
import { Writable } from 'node:stream';
import { DEFAULT_STREAM_CONTENT_TYPE } from '../wire-format.ts';
import type { BeforeFirstWrite } from './http-response-stream.ts';

/** Where the bytes go: the worker posts them to the local Function URL (the "Runtime API" side). */
export interface ResponseTransport {
  /** The stream carries its first bytes (or ends empty): its content type is final. */
  open(contentType: string): void;
  /** Sends bytes; `done` is called when more may be sent (flow control), with an error if they cannot be. */
  write(chunk: Uint8Array, done: (error?: Error | null) => void): void;
  /** The handler ended the stream: every byte has been handed to write(). */
  end(): void;
}

export class InvalidStreamingOperation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Runtime.InvalidStreamingOperation';
  }
}

type WriteCallback = (error: Error | null | undefined) => void;

export class RuntimeResponseStream extends Writable {
  _onBeforeFirstWrite: BeforeFirstWrite | undefined;
  readonly #transport: ResponseTransport;
  #contentType = DEFAULT_STREAM_CONTENT_TYPE;
  #writeCalled = false;
  #opened = false;

  constructor(transport: ResponseTransport, highWaterMark: number | undefined) {
    super(highWaterMark === undefined ? {} : { highWaterMark });
    this.#transport = transport;
  }

  setContentType(contentType: string): void {
    if (this.#writeCalled) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    this.#contentType = contentType;
  }

  /** The content type the stream carries (final once the first bytes went out). */
  get contentType(): string {
    return this.#contentType;
  }

  override write(chunk: unknown, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
    const data =
      typeof chunk === 'string' || chunk instanceof Uint8Array ? chunk : (JSON.stringify(chunk) as string | undefined);
    if (!this.#writeCalled && typeof this._onBeforeFirstWrite === 'function') {
      this._onBeforeFirstWrite((piece) => super.write(piece));
    }
    this.#writeCalled = true;
    // `undefined` (JSON.stringify of a function, say) makes Writable throw, as the runtime's ClientRequest does.
    if (typeof encoding === 'function') return super.write(data, encoding);
    return encoding === undefined ? super.write(data, callback) : super.write(data, encoding, callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: WriteCallback): void {
    this.#open();
    this.#transport.write(chunk, callback);
  }

  override _final(callback: WriteCallback): void {
    this.#open();
    this.#transport.end();
    callback(null);
  }

  #open(): void {
    if (this.#opened) return;
    this.#opened = true;
    this.#writeCalled = true;
    this.#transport.open(this.#contentType);
  }
}

const METHODS = [
  'cork',
  'destroy',
  'end',
  'uncork',
  'write',
  'addListener',
  'on',
  'once',
  'prependListener',
  'prependOnceListener',
  'off',
  'removeListener',
  'removeAllListeners',
  'setMaxListeners',
  'getMaxListeners',
  'listeners',
  'rawListeners',
  'listenerCount',
  'eventNames',
  'emit',
  'setContentType',
] as const;
const READ_WRITE = ['destroyed', '_onBeforeFirstWrite'] as const;
const READ_ONLY = [
  'writableFinished',
  'writableObjectMode',
  'writableEnded',
  'writableNeedDrain',
  'writableHighWaterMark',
  'writableCorked',
  'writableLength',
  'writable',
] as const;

type FacadeKey = (typeof METHODS)[number] | (typeof READ_WRITE)[number] | (typeof READ_ONLY)[number];

/** Only the Writable members the runtime exposes to a handler (its `toWritableResponseStream`). */
export type RuntimeFacade<T> = Pick<T, Extract<keyof T, FacadeKey>>;

export type HandlerResponseStream = RuntimeFacade<RuntimeResponseStream>;

/**
 * The facade the runtime hands to the handler (its `toWritableResponseStream`): methods bound to the inner
 * stream, `destroyed`/`_onBeforeFirstWrite` read-write, the writable state read-only. Generic so the
 * reliability tests' reproduction of the runtime's ClientRequest stream builds the very same facade.
 */
export function toRuntimeFacade<T extends object>(inner: T): RuntimeFacade<T> {
  const facade: Record<string, unknown> = {};
  for (const method of METHODS) {
    const fn: unknown = Reflect.get(inner, method);
    if (typeof fn === 'function') facade[method] = fn.bind(inner);
  }
  for (const prop of READ_WRITE) {
    Object.defineProperty(facade, prop, {
      get: () => Reflect.get(inner, prop),
      set: (value: unknown) => Reflect.set(inner, prop, value),
      enumerable: true,
    });
  }
  for (const prop of READ_ONLY) {
    Object.defineProperty(facade, prop, { get: () => Reflect.get(inner, prop), enumerable: true });
  }
  return facade as RuntimeFacade<T>;
}

export function toHandlerStream(inner: RuntimeResponseStream): HandlerResponseStream {
  return toRuntimeFacade(inner);
}
