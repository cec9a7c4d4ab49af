/**
 * Start a bench process (S3 server, function, peer) as its own Node process, so its memory and CPU are its own:
 * the entry reports `{ type: 'ready', url }` over IPC once listening, and exits when sent `{ type: 'close' }`.
 * Its stdout/stderr go to a log file (the function's one log line per request is part of what it costs).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ReadyMessage {
  readonly type: 'ready';
  readonly url: string;
}

export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly name: string;
  readonly entry: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly nodeOptions?: readonly string[];
  readonly logFile: string;
  readonly readyTimeoutMs?: number;
}

function isReady(message: unknown): message is ReadyMessage {
  if (typeof message !== 'object' || message === null) return false;
  const { type, url } = message as { type?: unknown; url?: unknown };
  return type === 'ready' && typeof url === 'string';
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').slice(-2000);
  } catch {
    return '(no log)';
  }
}

export function startProcess(options: StartOptions): Promise<BenchProcess> {
  const { name, entry, args = [], env = {}, nodeOptions = [], logFile, readyTimeoutMs = 60_000 } = options;
  const log = openSync(logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} not ready after ${readyTimeoutMs} ms; log ${logFile}:\n${logTail(logFile)}`));
    }, readyTimeoutMs);
    const onExit = (code: number | null, signal: string | null): void => {
      clearTimeout(timer);
      reject(
        new Error(`${name} exited before ready (code ${code}, signal ${signal}); log ${logFile}:\n${logTail(logFile)}`),
      );
    };
    child.once('exit', onExit);
    child.on('message', (message: unknown) => {
      if (!isReady(message)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      const pid = child.pid;
      if (pid === undefined) throw new Error(`${name} has no pid`);
      resolve({
        name,
        pid,
        url: message.url,
        logFile,
        stop: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ type: 'close' });
    else child.kill('SIGTERM');
  });
}

/** For entries: report readiness to the parent and close cleanly when asked (or when the parent dies). */
export function serveUntilClosed(url: string, close: () => Promise<void>): void {
  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'close') {
      shutdown();
    }
  });
  process.on('disconnect', shutdown);
  if (!process.send) throw new Error('bench process entries must be started by bench/run.ts (no IPC channel)');
  process.send({ type: 'ready', url } satisfies ReadyMessage);
}
