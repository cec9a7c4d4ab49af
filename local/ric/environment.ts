/**
 * One execution environment under AWS's runtime interface client (issue 13): its own Runtime API endpoint
 * (local/runtime-api/server.ts) and its own process, `node <aws-lambda-ric>/index.mjs`, started as Lambda
 * starts the Node.js runtime: AWS_LAMBDA_RUNTIME_API, _HANDLER, LAMBDA_TASK_ROOT, the log group and stream,
 * the function's variables and NODE_OPTIONS from the template; nothing else from the parent's environment.
 * One invocation at a time. Ready when the client first asks for /next (that is the cold start: process start,
 * client start, bundle import); an init error is what the client posts to /runtime/init/error before exiting.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { FunctionErrorData } from '../function-runtime.ts';
import { type RuntimeApiInvocation, RuntimeApiServer } from '../runtime-api/server.ts';
import type { FunctionBundle } from './bundle.ts';

export interface RicEnvironmentOptions {
  readonly id: number;
  readonly clientEntry: string;
  readonly bundle: FunctionBundle;
  /** The function's environment variables (the same the in-house runtime gets). */
  readonly env: Readonly<Record<string, string>>;
  readonly functionName: string;
  readonly memoryLimitInMB: number;
  readonly flowWindowBytes: number;
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
      // What Lambda's Node.js 24 runtime sets (AWS docs, "Defined runtime environment variables").
      PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_FUNCTION_NAME: options.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryLimitInMB),
      ...options.env,
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(),
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
    this.#options.onIdle(this);
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.#exited = true;
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

/** The runtime's log stream name form: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}
