/**
 * `npm start`'s entry (local/start.ts) as a user runs it: a separate process that prints one ready line with the
 * Function URL and the demo page, serves the sample media from the embedded store, and stops cleanly on SIGINT.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from '@jest/globals';
import { testRuntime } from '../support/local/runtime-mode.ts';
import { exited, START_ENTRY as START, type StartedProcess, startProcess } from '../support/local/start-process.ts';
import { send } from '../support/viewer-request.ts';

const SAMPLE_MP4 = new URL('../../media/sample.mp4', import.meta.url);

let child: ChildProcess | undefined;

afterEach(() => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});

async function start(env: Record<string, string>): Promise<StartedProcess> {
  const started = await startProcess(env);
  child = started.process;
  return started;
}

describe('npm start (local/start.ts)', () => {
  it('prints one ready line, serves the sample media, and stops with exit code 0 on SIGINT', async () => {
    // Act (in this run's runtime: `LOCAL_RUNTIME=aws-lambda-ric npm start` under `npm run test:ric`)
    const mode = testRuntime().mode;
    const started = await start({ PORT: '0', LOCAL_RUNTIME: mode });
    const { urls } = started;
    const [functionUrl, demoUrl] = urls;
    const probe = await send(String(functionUrl), '/sample.mp4', { headers: { Range: 'bytes=0-1' } });
    const listing = await send(String(demoUrl), '/api/media');
    const page = await send(String(demoUrl), '/');
    started.process.kill('SIGINT');
    const code = await exited(started.process);

    // Assess
    const sample = await readFile(SAMPLE_MP4);
    expect(urls).toHaveLength(2);
    expect(functionUrl).not.toBe(demoUrl);
    expect(
      started
        .stdout()
        .split('\n')
        .filter((line) => line.includes('ready')),
    ).toHaveLength(1);
    expect(probe.status).toBe(206);
    expect(probe.headers['content-range']).toBe(`bytes 0-1/${sample.length}`);
    expect(probe.body.equals(sample.subarray(0, 2))).toBe(true);
    const keys = (JSON.parse(listing.body.toString()).items as Array<{ key: string }>).map((item) => item.key);
    expect(keys).toEqual(expect.arrayContaining(['sample.mp4', 'sample.webm', 'sample.mp3']));
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('src="/app.js"');
    expect(code).toBe(0);
    if (mode === 'aws-lambda-ric') expect(started.stderr()).toMatch(/\[ric\] environment 1: ready/);
  });

  it('refuses an invalid environment with a message naming the variable and exit code 1', async () => {
    // Act
    const proc = spawn(process.execPath, [START], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let err = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await exited(proc);

    // Assess
    expect(code).toBe(1);
    expect(err).toContain('PORT must be a TCP port number');
  });
});
