/**
 * Do the handler's error paths take the process down on the real Lambda runtime? (docs/platform.md,
 * "Destroying the response stream with an error ... left unhandled promise rejections inside the runtime
 * client".) The fixture runs the real handler, in its own process, inside an emulation of the runtime's
 * streaming path (support/runtime-emulator.ts): the response stream is an http.ClientRequest to a fake Runtime
 * API, and an unhandled rejection exits the process with 128 as the runtime does. The S3 body fails after the
 * first byte (cut, reset, object replaced, resume attempts exhausted) through the fault proxy.
 *
 * Passing means: the process never crashed, every invocation reached the Runtime API, failed ones are visibly
 * failed there (incomplete chunked body, or error trailers) and carry only bytes of the version they name,
 * and the invocations after them are served normally.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';

interface Line {
  readonly type: 'invocation' | 'process-event' | 'done';
  readonly scenario?: string;
  readonly event?: string;
  readonly message?: string;
  readonly outcome?: string;
  readonly errorTrailer?: boolean;
  readonly status?: number;
  readonly bodyBytes?: number;
  readonly verdict?: { readonly kind: string; readonly message?: string };
  readonly processed?: number;
  readonly kind?: string;
  readonly trailers?: readonly string[] | Readonly<Record<string, string>>;
}

const SELFCHECK = 'test/reliability/support/runtime-selfcheck-fixture.ts';
const FIXTURE = 'test/reliability/support/runtime-fixture.ts';

function runFixture(
  script: string,
  ...args: string[]
): Promise<{ code: number | null; lines: Line[]; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'runtime-fixture-'));
  const file = join(dir, 'results.jsonl');
  return new Promise((resolve, reject) => {
    const child = spawn(join(process.cwd(), 'node_modules/.bin/node'), [script, file, ...args], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = '';
      }
      rmSync(dir, { recursive: true, force: true });
      const lines = text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Line);
      resolve({ code, lines, stderr });
    });
  });
}

describe('the runtime emulator reproduces the runtime client (so the next test means something)', () => {
  test('a handler that rejects after writing bytes gets error trailers, and the next invocation is served', async () => {
    // Act
    const { code, lines } = await runFixture(SELFCHECK, 'reject-after-bytes');

    // Assess
    expect(code).toBe(0);
    expect(lines.filter((line) => line.type === 'invocation')).toEqual([
      {
        type: 'invocation',
        kind: 'reject-after-bytes',
        outcome: 'complete',
        trailers: ['lambda-runtime-function-error-type', 'lambda-runtime-function-error-body'],
        bodyBytes: 1000,
      },
      { type: 'invocation', kind: 'ok', outcome: 'complete', trailers: [], bodyBytes: 1000 },
    ]);
  }, 60_000);

  test.each([
    ['pipeline-error', 'Error: the source failed'],
    ['destroy-plain', 'Error: socket hang up'],
  ])(
    '%s: destroying the response stream is an unhandled rejection that exits the process (128)',
    async (scenario, message) => {
      // Act
      const { code, lines } = await runFixture(SELFCHECK, scenario);

      // Assess
      expect(code).toBe(128);
      expect(lines.filter((line) => line.type === 'process-event')).toEqual([
        { type: 'process-event', event: 'unhandledRejection', message },
      ]);
    },
    60_000,
  );
});

describe('the real handler inside an emulation of the Lambda runtime streaming path', () => {
  test('mid-stream S3 failures never crash the process, are visibly failed, and the next invocation is served', async () => {
    // Prepare
    const byScenario = (lines: Line[], name: string): Line | undefined =>
      lines.find((line) => line.type === 'invocation' && line.scenario === name);

    // Act
    const { code, lines, stderr } = await runFixture(FIXTURE);

    // Assess
    const crashes = lines.filter((line) => line.type === 'process-event');
    // On failure the diff shows how the process died and the tail of its stderr.
    const stderrTail = code === 0 ? '' : stderr.slice(-3000);
    expect({ code, crashes, stderrTail }).toEqual({ code: 0, crashes: [], stderrTail: '' });
    for (const name of ['healthy range', 'healthy after exhaustion', 'healthy at the end', 'cut once, resumed']) {
      expect({ name, ...byScenario(lines, name) }).toMatchObject({
        name,
        outcome: 'complete',
        errorTrailer: false,
        verdict: { kind: 'exact' },
      });
    }
    for (const name of [
      'cut on every read: resume attempts exhausted',
      'object replaced between cut and resume (412)',
      'reset mid-body on every read',
    ]) {
      const line = byScenario(lines, name);
      // Incomplete means: the Runtime API saw an aborted body or error trailers, with only correct bytes.
      expect({ name, verdict: line?.verdict }).toEqual({
        name,
        verdict: expect.objectContaining({ kind: 'incomplete' }),
      });
      expect(line?.outcome === 'aborted' || line?.errorTrailer === true).toBe(true);
    }
    expect(byScenario(lines, 'stall before headers (504 before the first byte)')).toMatchObject({
      outcome: 'complete',
      status: 504,
    });
    expect(lines.at(-1)).toMatchObject({ type: 'done', processed: 8 });
  }, 120_000);
});
