/**
 * The real-client runtime behind the local Function URL: a pool of execution environments, each a
 * process running AWS's runtime interface client on the synthesized bundle (./environment.ts).
 *
 * Like Lambda: one invocation at a time per environment; a concurrent request gets another environment (a cold
 * start, logged) up to `maxEnvironments`; an environment whose process exits is replaced on the next request;
 * an init error (the client posts /runtime/init/error, e.g. a ConfigError from a bad variable at import) fails
 * the request that was waiting for that environment (the URL answers 502) and is logged; the function timeout
 * kills the environment. Unlike Lambda: past `maxEnvironments` requests wait for a free environment instead of
 * getting 429 (TooManyRequestsException), and a viewer that leaves does not stop the function (neither does
 * Lambda's), so its environment stays busy until the handler finishes.
 */
import { arch, platform } from 'node:os';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type {
  AbortReason,
  FunctionErrorData,
  FunctionRuntime,
  FunctionSettings,
  Invocation,
  InvocationSink,
  InvokeContextData,
} from '../runtime.ts';
import { type FunctionBundle, synthesizedBundle } from './bundle.ts';
import { findRuntimeClient } from './client-package.ts';
import { RicEnvironment } from './environment.ts';

export const DEFAULT_MAX_ENVIRONMENTS = 8;

export interface RicRuntimeOptions extends FunctionSettings {
  /** Most environments (processes) at once; default 8. */
  readonly maxEnvironments?: number;
  /** The bundle to run; default: synthesize the CDK app (cached) and take the Function URL's function. */
  readonly bundle?: FunctionBundle;
  readonly log: (line: string) => void;
}

interface Pending {
  readonly event: APIGatewayProxyEventV2;
  readonly context: InvokeContextData;
  readonly sink: InvocationSink;
  environment: RicEnvironment | undefined;
  aborted: boolean;
}

export class RicRuntime implements FunctionRuntime {
  readonly #options: RicRuntimeOptions;
  readonly #clientEntry: string;
  readonly #bundle: FunctionBundle;
  readonly #maxEnvironments: number;
  readonly #environments = new Set<RicEnvironment>();
  readonly #queue: Pending[] = [];
  /** Environments spawned but not yet ready. */
  #starting = 0;
  /** Environments alive or being spawned: what counts against `maxEnvironments`. */
  #slots = 0;
  #nextId = 1;
  #closed = false;

  private constructor(options: RicRuntimeOptions, clientEntry: string, bundle: FunctionBundle) {
    this.#options = options;
    this.#clientEntry = clientEntry;
    this.#bundle = bundle;
    this.#maxEnvironments = options.maxEnvironments ?? DEFAULT_MAX_ENVIRONMENTS;
    if (!Number.isSafeInteger(this.#maxEnvironments) || this.#maxEnvironments < 1) {
      throw new RangeError(`maxEnvironments must be a positive integer, got ${options.maxEnvironments}`);
    }
  }

  /**
   * Checks the client is installed (a clear error naming `npm run ric:install` otherwise), finds the bundle and
   * starts one environment ahead of the first request. An init error there is logged, not thrown: on Lambda it
   * is the viewer who gets the 502.
   */
  static async start(options: RicRuntimeOptions): Promise<RicRuntime> {
    const client = findRuntimeClient();
    const bundle = options.bundle ?? (await synthesizedBundle(options.log));
    const runtime = new RicRuntime(options, client.entry, bundle);
    options.log(
      `[ric] aws-lambda-ric ${client.version} on node ${process.version} (${platform()}/${arch()}; Lambda runs arm64), ` +
        `bundle ${bundle.dir}, handler ${bundle.handler}, NODE_OPTIONS=${bundle.nodeOptions ?? ''}`,
    );
    await runtime.#spawn();
    return runtime;
  }

  invoke(event: APIGatewayProxyEventV2, context: InvokeContextData, sink: InvocationSink): Invocation {
    const pending: Pending = { event, context, sink, environment: undefined, aborted: false };
    if (this.#closed) {
      sink.fail({ errorType: 'Shutdown', errorMessage: 'the local stack is stopping' }, 'crash');
      return { abort: () => undefined };
    }
    this.#queue.push(pending);
    this.#pump();
    return { abort: (reason) => this.#abort(pending, reason) };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) {
      pending.sink.fail({ errorType: 'Shutdown', errorMessage: 'the local stack is stopping' }, 'crash');
    }
    await Promise.all([...this.#environments].map((environment) => environment.close()));
    this.#environments.clear();
  }

  #abort(pending: Pending, reason: AbortReason): void {
    if (pending.aborted) return;
    pending.aborted = true;
    const environment = pending.environment;
    if (environment === undefined) {
      const index = this.#queue.indexOf(pending);
      if (index !== -1) this.#queue.splice(index, 1);
      return;
    }
    if (reason === 'timeout') {
      this.#options.log(`[ric] environment ${environment.id}: function timeout -> environment killed`);
      environment.kill('function timeout');
    } else {
      environment.discard();
    }
  }

  #pump(): void {
    if (this.#closed) return;
    while (this.#queue.length > 0) {
      const environment = [...this.#environments].find((candidate) => candidate.idle);
      if (environment === undefined) break;
      const pending = this.#queue.shift() as Pending;
      pending.environment = environment;
      const { context } = pending;
      const region = this.#options.env.AWS_REGION ?? 'us-east-1';
      environment.run({
        requestId: context.awsRequestId,
        eventJson: JSON.stringify(pending.event),
        deadlineMs: context.deadlineMs,
        functionArn: `arn:aws:lambda:${region}:000000000000:function:${this.#options.functionName}`,
        ...(context.traceId === undefined ? {} : { traceId: context.traceId }),
        sink: pending.sink,
      });
    }
    const wanted = this.#queue.length - this.#starting;
    const room = this.#maxEnvironments - this.#slots;
    for (let i = 0; i < Math.min(wanted, room); i += 1) void this.#spawn();
  }

  async #spawn(): Promise<void> {
    const id = this.#nextId++;
    this.#starting += 1;
    this.#slots += 1;
    let counted = true;
    const uncount = (): void => {
      if (counted) this.#starting -= 1;
      counted = false;
    };
    this.#options.log(`[ric] environment ${id}: cold start (${this.#slots} of at most ${this.#maxEnvironments})`);
    let environment: RicEnvironment;
    try {
      environment = await RicEnvironment.spawn({
        id,
        clientEntry: this.#clientEntry,
        bundle: this.#bundle,
        env: this.#options.env,
        functionName: this.#options.functionName,
        memoryLimitInMB: this.#options.memoryLimitInMB,
        flowWindowBytes: this.#options.flowWindowBytes,
        log: this.#options.log,
        onIdle: (ready) => {
          if (counted) {
            uncount();
            this.#options.log(`[ric] environment ${ready.id}: ready, init ${Math.round(ready.initMs ?? 0)} ms`);
          }
          this.#pump();
        },
        onExit: (gone, error) => {
          this.#environments.delete(gone);
          this.#slots -= 1;
          const initFailed = counted;
          uncount();
          if (this.#closed) return;
          if (initFailed) {
            this.#options.log(`[ric] environment ${gone.id}: init failed: ${error.errorType}: ${error.errorMessage}`);
            // The request this environment was started for gets the init error (the URL answers 502).
            const waiting = this.#queue.shift();
            waiting?.sink.fail(error, 'crash');
          } else {
            this.#options.log(
              `[ric] environment ${gone.id} exited (${error.errorMessage}); the next request starts a new one`,
            );
          }
          this.#pump();
        },
      });
    } catch (error) {
      uncount();
      this.#slots -= 1;
      const detail: FunctionErrorData = {
        errorType: 'Runtime.SpawnError',
        errorMessage: error instanceof Error ? error.message : String(error),
      };
      this.#options.log(`[ric] environment ${id}: could not start: ${detail.errorMessage}`);
      this.#queue.shift()?.sink.fail(detail, 'crash');
      return;
    }
    if (this.#closed) {
      await environment.close();
      return;
    }
    this.#environments.add(environment);
  }
}
