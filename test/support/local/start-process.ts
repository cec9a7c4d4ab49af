/**
 * `npm start`'s entry (local/start.ts) as its own process, as a user runs it: the tests that check the entry
 * itself, and the ones that measure the local stack's memory apart from the test runner's (the runner's process
 * also holds the S3 server, the test's client and whatever earlier suites in the same jest worker left behind).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const START_ENTRY = fileURLToPath(new URL('../../../local/start.ts', import.meta.url));

export interface StartedProcess {
  readonly process: ChildProcess;
  readonly readyLine: string;
  /** The local Function URL and the demo page URL, as the ready line prints them. */
  readonly urls: readonly string[];
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/** A stack with options `npm start` does not take, as its own process (see stack-entry.ts). */
export const STACK_ENTRY = fileURLToPath(new URL('./stack-entry.ts', import.meta.url));

/**
 * Spawns `entry` (default local/start.ts) with a minimal environment (PATH, HOME, POWERTOOLS_LOG_LEVEL=WARN)
 * plus `env`, and resolves with its one ready line; rejects with its output if it exits first.
 */
export function startProcess(env: Readonly<Record<string, string>>, entry = START_ENTRY): Promise<StartedProcess> {
  const proc = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', POWERTOOLS_LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((candidate) => candidate.includes('ready'));
      if (line !== undefined) {
        const urls = [...line.matchAll(/http:\/\/127\.0\.0\.1:(\d+)\//g)].map((match) => match[0]);
        resolve({ process: proc, readyLine: line, urls, stdout: () => out, stderr: () => err });
      }
    });
    proc.once('exit', (code) => reject(new Error(`start exited with ${code} before ready:\n${out}\n${err}`)));
  });
}

export function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}

/** Stops a started process with SIGINT (its clean shutdown), SIGKILL after `graceMs`. */
export async function stopProcess(proc: ChildProcess, graceMs = 10_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = exited(proc);
  proc.kill('SIGINT');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  try {
    await gone;
  } finally {
    clearTimeout(timer);
  }
}
