/**
 * One execution environment under AWS's runtime interface client: its own Runtime API endpoint
 * (local/runtimes/aws-ric/runtime-api-server.ts) and its own process, `node <aws-lambda-ric>/index.mjs`, started as Lambda
 * starts the Node.js runtime: AWS_LAMBDA_RUNTIME_API, _HANDLER, LAMBDA_TASK_ROOT, the log group and stream,
 * the function's variables and NODE_OPTIONS from the template; nothing else from the parent's environment.
 * One invocation at a time. Ready when the client first asks for /next (that is the cold start: process start,
 * client start, bundle import); an init error is what the client posts to /runtime/init/error before exiting.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { lambdaDefinedEnv } from '../lambda-defined-env.ts';
import type { FunctionErrorData, FunctionSettings } from '../runtime.ts';
import type { FunctionBundle } from './bundle.ts';
import { type RuntimeApiInvocation, RuntimeApiServer } from './runtime-api-server.ts';

export interface RicEnvironmentOptions extends FunctionSettings {
  readonly id: number;
  readonly clientEntry: string;
  readonly bundle: FunctionBundle;
  readonly log: (line: string) => void;
  /** The runtime asked for work: ready after init, or free again after an invocation. */
  readonly onIdle: (environment: RicEnvironment) => void;
  /** The process exited (crash, kill, init failure). */
  readonly onExit: (environment: RicEnvironment, error: FunctionErrorData) => void;
}

export class RicEnvironment {
  readonly id: number;
  /** Milliseconds from spawn to the first /next: the cold start. */
  initMs: number | undefined;
  readonly #options: RicEnvironmentOptions;
  readonly #api: RuntimeApiServer;
  readonly #child: ChildProcess;
  readonly #spawnedAt = performance.now();
  #initError: FunctionErrorData | undefined;
  #exited = false;
  #busy = false;
  #killReason: string | undefined;
  #deadline: NodeJS.Timeout | undefined;

  private constructor(options: RicEnvironmentOptions, api: RuntimeApiServer, child: ChildProcess) {
    this.id = options.id;
    this.#options = options;
    this.#api = api;
    this.#child = child;
  }

  static async spawn(options: RicEnvironmentOptions): Promise<RicEnvironment> {
    let environment: RicEnvironment | undefined;
    const api = await RuntimeApiServer.start({
      flowWindowBytes: options.flowWindowBytes,
      log: options.log,
      events: {
        next: () => {
          if (environment !== undefined) environment.#onNext();
        },
        initError: (error) => {
          if (environment !== undefined) environment.#initError = error;
        },
      },
    });
    const { bundle } = options;
    const functionEnv: Record<string, string> = {
      PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      ...options.env,
      ...lambdaDefinedEnv({ functionName: options.functionName, memoryLimitInMB: options.memoryLimitInMB }),
      AWS_LAMBDA_RUNTIME_API: api.address,
      _HANDLER: bundle.handler,
      LAMBDA_TASK_ROOT: bundle.dir,
    };
    if (bundle.nodeOptions === undefined) delete functionEnv.NODE_OPTIONS;
    else functionEnv.NODE_OPTIONS = bundle.nodeOptions;
    // aws-lambda-ric 4 reads the handler from _HANDLER (its README's `aws-lambda-ric index.handler` argument
    // is not read); it is passed anyway, as a container image's CMD would.
    const child = spawn(process.execPath, [options.clientEntry, bundle.handler], {
      cwd: bundle.dir,
      env: functionEnv,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    environment = new RicEnvironment(options, api, child);
    const created = environment;
    child.once('exit', (code, signal) => created.#onExit(code, signal));
    child.once('error', (error) => {
      created.#initError ??= { errorType: 'Runtime.SpawnError', errorMessage: error.message };
    });
    return environment;
  }

  get ready(): boolean {
    return this.initMs !== undefined && !this.#exited;
  }

  get idle(): boolean {
    return this.ready && !this.#busy && this.#api.idle;
  }

  get exited(): boolean {
    return this.#exited;
  }

  run(invocation: RuntimeApiInvocation): void {
    this.#busy = true;
    // The deadline holds even when nobody listens any more (a viewer that left does not stop the function):
    // at it Lambda ends the invocation and resets the environment.
    this.#deadline = setTimeout(
      () => {
        // The same words as the pool's when the Function URL's own timer wins the race (pool.ts #abort).
        this.#options.log(
          `[ric] environment ${this.id}: invocation ${invocation.requestId} reached its deadline: ` +
            'function timeout -> environment killed',
        );
        // Report the timeout before the kill: killing the client first aborts its response POST, and the viewer
        // side would see that abort (a stream error) instead of Lambda's Sandbox.Timedout.
        this.#api.abandon({
          errorType: 'Sandbox.Timedout',
          errorMessage: `Task timed out at its deadline (${new Date(invocation.deadlineMs).toISOString()})`,
        });
        this.kill('function timeout');
      },
      Math.max(0, invocation.deadlineMs - Date.now()),
    );
    this.#deadline.unref();
    this.#api.dispatch(invocation);
  }

  /** The viewer stopped listening: the invocation runs on, its bytes are dropped (as on Lambda). */
  discard(): void {
    this.#api.discard();
  }

  /** Ends the process (function timeout, shutdown): Lambda resets the environment after a timeout. */
  kill(reason: string): void {
    if (this.#exited) return;
    this.#killReason ??= reason;
    this.#child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    this.kill('the local stack is stopping');
    if (!this.#exited) await new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    await this.#api.close();
  }

  #onNext(): void {
    if (this.initMs === undefined) {
      this.initMs = performance.now() - this.#spawnedAt;
    }
    this.#busy = false;
    clearTimeout(this.#deadline);
    this.#options.onIdle(this);
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.#exited = true;
    clearTimeout(this.#deadline);
    const how = signal === null ? `exit code ${code}` : `signal ${signal}`;
    const error: FunctionErrorData =
      this.#killReason !== undefined
        ? { errorType: 'Runtime.ExitError', errorMessage: `environment killed: ${this.#killReason}` }
        : (this.#initError ?? {
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: runtime exited with ${how}`,
          });
    this.#api.abandon(error);
    void this.#api.close();
    this.#options.onExit(this, this.initMs === undefined ? (this.#initError ?? error) : error);
  }
}
