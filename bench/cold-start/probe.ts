/**
 * One cold start, in a fresh Node process started by bench/measure/cold-start.ts: install the `awslambda`
 * global (as the runtime does before loading the handler), import the deployable bundle, invoke the handler
 * with a Function URL event for `Range: bytes=0-1` against the bench S3 server, and wait for the response
 * stream to finish. Prints one JSON line. Environment (BUCKET_NAME, S3_ENDPOINT, AWS_*) comes from the parent,
 * as Lambda's configuration would.
 *
 * `node bench/cold-start/probe.ts --bundle FILE --key KEY`
 */
import { performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { installAwsLambdaGlobal } from '../../local/runtimes/emulated/globals.ts';
import { lambdaContext } from '../../local/runtimes/emulated/lambda-context.ts';
import { CapturingResponseStream } from '../../test/support/capturing-response-stream.ts';
import { functionUrlEvent } from '../../test/support/function-url-event.ts';
import { parseIntegrationResponse } from '../../test/support/parse-integration-response.ts';

const { values } = parseArgs({ options: { bundle: { type: 'string' }, key: { type: 'string' } }, strict: true });
const { bundle, key } = values;
if (!bundle || !key) throw new Error('usage: node bench/cold-start/probe.ts --bundle FILE --key KEY');

// A player's ranged GET, as the Function URL hands it to the handler.
const event = functionUrlEvent({
  path: `/${key}`,
  headers: { range: 'bytes=0-1', 'user-agent': 'AppleCoreMedia/1.0.0', accept: '*/*' },
  requestId: 'bench-cold-start',
});
const context = lambdaContext({
  awsRequestId: 'bench-cold-start',
  deadlineMs: Date.now() + 30_000,
  logStreamName: 'bench',
});

installAwsLambdaGlobal();
const bootMs = performance.now(); // since this process started (performance.timeOrigin)
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const mod: unknown = await import(pathToFileURL(bundle).href);
const t1 = performance.now();
const handler = (mod as { handler?: unknown }).handler;
if (typeof handler !== 'function') throw new Error(`${bundle} exports no handler function`);
const stream = new CapturingResponseStream();
await handler(event, stream, context);
if (!stream.writableFinished) await finished(stream);
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);

const { prelude, body } = parseIntegrationResponse(stream.bytes, stream.contentType);
const statusCode = prelude?.statusCode;
const result = {
  bootMs,
  importMs: t1 - t0,
  firstResponseMs: t2 - t1,
  totalMs: t2 - t0,
  // CPU (user + system) of import + first response: on Lambda CPU is a share of memory, so this is the number
  // that scales into the cold start at a given memory size.
  cpuMs: (cpu.user + cpu.system) / 1000,
  statusCode,
  bodyBytes: body.length,
};
// Exit explicitly: the SDK's keep-alive sockets would keep a real runtime's process alive too.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
