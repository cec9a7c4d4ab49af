/**
 * Child-process fixture that checks the runtime emulator itself (runtime-emulator.ts) against what the platform
 * notes and the runtime interface client source say, with tiny inline handlers and no S3:
 * - `reject-after-bytes`: the handler writes bytes, then its promise rejects WITHOUT touching the stream: the
 *   runtime ends the stream with error trailers and carries on (a second, healthy invocation follows).
 * - `pipeline-error`: `pipeline(failingSource, responseStream)` destroys the runtime's ClientRequest with the
 *   source's error: the never-awaited `headersDone` promise rejects and the process exits with 128.
 * - `destroy-plain`: even `responseStream.destroy()` without an error ends the same way ("socket hang up").
 *
 * Usage: node runtime-selfcheck-fixture.ts <results.jsonl> <scenario>
 */
import { appendFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type HandlerStream,
  installAwsLambdaGlobal,
  installRuntimeCrashHandlers,
  startFakeRuntimeApi,
  startRuntimeLoop,
} from './runtime-emulator.ts';

const [resultsFile, scenario] = process.argv.slice(2);
if (resultsFile === undefined || scenario === undefined) throw new Error('usage: <results.jsonl> <scenario>');
const out = (line: Record<string, unknown>): void => appendFileSync(resultsFile, `${JSON.stringify(line)}\n`);

installRuntimeCrashHandlers(out);

installAwsLambdaGlobal();
interface Global {
  readonly HttpResponseStream: { from(stream: HandlerStream, prelude: Record<string, unknown>): HandlerStream };
}
const { HttpResponseStream } = Reflect.get(globalThis, 'awslambda') as unknown as Global;

const BYTES = Buffer.alloc(1000, 7);

async function handler(event: unknown, stream: HandlerStream): Promise<void> {
  const kind = (event as { kind: string }).kind;
  const out = HttpResponseStream.from(stream, { statusCode: 206, headers: { 'content-range': 'bytes 0-1999/2000' } });
  if (kind === 'ok') {
    await pipeline(Readable.from([BYTES]), out as unknown as NodeJS.WritableStream);
    return;
  }
  out.write(BYTES);
  await new Promise((resolve) => setTimeout(resolve, 20));
  if (kind === 'reject-after-bytes') throw new Error('the source failed');
  if (kind === 'destroy-plain') {
    out.destroy();
    return;
  }
  const failing = new Readable({
    read() {
      this.destroy(new Error('the source failed'));
    },
  });
  await pipeline(failing, out as unknown as NodeJS.WritableStream);
}

const api = await startFakeRuntimeApi();
const loop = startRuntimeLoop(api.address, handler);
for (const [n, kind] of [scenario, 'ok'].entries()) {
  const record = await api.invoke({ kind }, `selfcheck-${n}`);
  const nul = record.body.indexOf(0);
  out({
    type: 'invocation',
    kind,
    outcome: record.outcome,
    trailers: Object.keys(record.trailers),
    bodyBytes: nul < 0 ? 0 : record.body.length - nul - 8,
  });
}
await new Promise((resolve) => setTimeout(resolve, 300));
out({ type: 'done', processed: loop.processed });
loop.stop();
await api.close();
process.exit(0);
