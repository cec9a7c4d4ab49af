/**
 * Main-thread side of the local execution environment: starts the worker (./worker.ts) with the function's
 * environment variables, waits for the handler module to initialise (an init error fails start() with the cause,
 * so `npm start` says what is wrong), routes invocation messages, and replaces a crashed environment on the next
 * invocation, as Lambda re-initialises one after the runtime process exits.
 */
import { Worker } from 'node:worker_threads';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { lambdaDefinedEnv } from '../lambda-defined-env.ts';
import type { FunctionRuntime, FunctionSettings, Invocation, InvocationSink } from '../runtime.ts';
import type {
  EnvironmentData,
  FromEnvironment,
  FunctionErrorData,
  InvokeContextData,
  ToEnvironment,
} from './protocol.ts';
import { workerResourceLimits } from './v8-heap-limits.ts';

export interface EnvironmentOptions extends FunctionSettings {
  readonly handlerModule: URL;
  readonly handlerExport: string;
  /** Where a crash of the environment is reported (it would otherwise only show as 502s). */
  readonly log?: (line: string) => void;
}

export class FunctionInitError extends Error {
  readonly errorType: string;
  constructor(error: FunctionErrorData) {
    super(`the handler module failed to initialise: ${error.errorType}: ${error.errorMessage}`, { cause: error });
    this.name = 'FunctionInitError';
    this.errorType = error.errorType;
  }
}

const WORKER_URL = new URL('./worker.ts', import.meta.url);

interface Entry {
  readonly sink: InvocationSink;
  ended: boolean;
  resolved: boolean;
  /** Bytes the viewer side accepted since the last ack was posted. */
  unposted: number;
}

interface Live {
  readonly worker: Worker;
  /** Invocations in flight; one leaves when it failed, was aborted, or both ended its stream and resolved. */
  readonly sinks: Map<number, Entry>;
  /** Acks are batched per event-loop turn: one postMessage per invocation per turn, not one per chunk. */
  ackFlush: NodeJS.Immediate | undefined;
  /** Chunk buffers released by the viewer side, returned to the worker with the next flush. */
  readonly released: ArrayBuffer[];
}

export class ExecutionEnvironment implements FunctionRuntime {
  readonly #options: EnvironmentOptions;
  #live: Promise<Live> | undefined;
  #nextId = 1;
  #closed = false;

  private constructor(options: EnvironmentOptions) {
    this.#options = options;
  }

  /** Starts an environment and waits until the handler module has been imported. */
  static async start(options: EnvironmentOptions): Promise<ExecutionEnvironment> {
    const environment = new ExecutionEnvironment(options);
    await environment.#ensureLive();
    return environment;
  }

  invoke(event: APIGatewayProxyEventV2, context: InvokeContextData, sink: InvocationSink): Invocation {
    const id = this.#nextId++;
    let aborted = false;
    let target: Live | undefined;
    this.#ensureLive().then(
      (live) => {
        if (aborted) return;
        target = live;
        live.sinks.set(id, { sink, ended: false, resolved: false, unposted: 0 });
        live.worker.postMessage({ type: 'invoke', id, event, context } satisfies ToEnvironment);
      },
      (error: unknown) => {
        if (!aborted) sink.fail(describeInit(error), 'crash');
      },
    );
    return {
      // Whatever the reason, the handler's stream is destroyed so its S3 body is released (README: on Lambda
      // a viewer leaving tells the function nothing; the aws-lambda-ric mode keeps that behaviour).
      abort: () => {
        if (aborted) return;
        aborted = true;
        if (target?.sinks.delete(id) === true) {
          target.worker.postMessage({ type: 'abort', id } satisfies ToEnvironment);
        }
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const live = await this.#live?.catch(() => undefined);
    if (live === undefined) return;
    for (const [id, entry] of live.sinks) {
      live.sinks.delete(id);
      entry.sink.fail({ errorType: 'Shutdown', errorMessage: 'the local stack is stopping' }, 'crash');
    }
    await live.worker.terminate();
  }

  #ensureLive(): Promise<Live> {
    if (this.#closed) return Promise.reject(new Error('the execution environment is closed'));
    this.#live ??= this.#spawn();
    return this.#live;
  }

  #spawn(): Promise<Live> {
    const data: EnvironmentData = {
      handlerModule: this.#options.handlerModule.href,
      handlerExport: this.#options.handlerExport,
      functionName: this.#options.functionName,
      memoryLimitInMB: this.#options.memoryLimitInMB,
      flowWindowBytes: this.#options.flowWindowBytes,
    };
    // The variables Lambda defines come last: they are reserved there (the real client requires some of them).
    const env = {
      ...this.#options.env,
      ...lambdaDefinedEnv({ functionName: this.#options.functionName, memoryLimitInMB: this.#options.memoryLimitInMB }),
    };
    const worker = new Worker(WORKER_URL, {
      workerData: data,
      env,
      // The function's V8 heap flags from its NODE_OPTIONS (which a worker does not read), as resource limits.
      resourceLimits: workerResourceLimits(this.#options.env.NODE_OPTIONS),
    });
    const live: Live = { worker, sinks: new Map(), ackFlush: undefined, released: [] };
    return new Promise<Live>((resolve, reject) => {
      let ready = false;
      let initError: FunctionErrorData | undefined;
      worker.on('message', (message: FromEnvironment) => {
        if (message.type === 'ready') {
          ready = true;
          resolve(live);
        } else if (message.type === 'init-error') {
          initError = message.error;
        } else {
          route(live, message);
        }
      });
      worker.on('error', (error) => {
        initError ??= { errorType: error.name, errorMessage: error.message };
      });
      worker.once('exit', (code) => {
        // A crash (an unhandled rejection, say) ends every invocation in flight; the next invoke re-initialises.
        if (this.#live !== undefined && !this.#closed) this.#live = undefined;
        const error = initError ?? {
          errorType: 'Runtime.ExitError',
          errorMessage: `environment exited with code ${code}`,
        };
        if (!ready) {
          reject(new FunctionInitError(error));
          return;
        }
        if (!this.#closed) {
          // As on Lambda, a crashed environment takes every invocation in it down; say so, or it only shows as 502s.
          this.#options.log?.(
            `[runtime] execution environment crashed (${error.errorType}: ${error.errorMessage}); ` +
              `${live.sinks.size} invocation(s) in flight failed; the next request starts a new environment`,
          );
        }
        for (const [id, entry] of live.sinks) {
          live.sinks.delete(id);
          entry.sink.fail(error, 'crash');
        }
      });
    });
  }
}

function route(live: Live, message: Exclude<FromEnvironment, { type: 'ready' | 'init-error' }>): void {
  const entry = live.sinks.get(message.id);
  if (entry === undefined) return;
  const { sink } = entry;
  switch (message.type) {
    case 'open':
      sink.open(message.contentType);
      return;
    case 'data': {
      const { chunk } = message;
      const bytes = chunk.byteLength;
      sink.data(
        chunk,
        () => {
          entry.unposted += bytes;
          live.ackFlush ??= setImmediate(() => flushAcks(live));
        },
        () => {
          // The chunk's buffer came from the worker's pool (transferred, so no other view of it exists here).
          live.released.push(chunk.buffer as ArrayBuffer);
          live.ackFlush ??= setImmediate(() => flushAcks(live));
        },
      );
      return;
    }
    case 'end':
      entry.ended = true;
      if (entry.resolved) live.sinks.delete(message.id);
      sink.end();
      return;
    case 'resolved':
      entry.resolved = true;
      if (entry.ended) live.sinks.delete(message.id);
      sink.resolved();
      return;
    case 'fail':
      live.sinks.delete(message.id);
      sink.fail(message.error, 'handler');
      return;
    case 'destroyed':
      live.sinks.delete(message.id);
      sink.fail(
        message.error ?? { errorType: 'Runtime.StreamDestroyed', errorMessage: 'response stream destroyed' },
        'destroyed',
      );
      return;
  }
}

function flushAcks(live: Live): void {
  live.ackFlush = undefined;
  for (const [id, entry] of live.sinks) {
    if (entry.unposted === 0) continue;
    live.worker.postMessage({ type: 'ack', id, bytes: entry.unposted } satisfies ToEnvironment);
    entry.unposted = 0;
  }
  if (live.released.length > 0) {
    // Each buffer once, and never one already sent back: transferring either would throw here and crash the URL.
    const buffers = [...new Set(live.released.splice(0))].filter((buffer) => !buffer.detached);
    live.worker.postMessage({ type: 'recycle', buffers } satisfies ToEnvironment, buffers);
  }
}

function describeInit(error: unknown): FunctionErrorData {
  return error instanceof Error
    ? { errorType: error.name, errorMessage: error.message }
    : { errorType: 'Runtime.InitError', errorMessage: String(error) };
}
