/**
 * A tiny streaming handler for testing the local Function URL on its own (no S3, no middy): it uses the
 * `awslambda` global directly, as a handler on the real runtime would. The path picks the behaviour.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { patternBytes } from './pattern.ts';

type Stream = awslambda.HttpResponseStream;

/** Module state, readable through `/stats`: the environment keeps it across invocations, as Lambda does. */
const stats = { generatedBytes: 0, streamsReleased: 0 };

/** A readable of `total` pattern bytes in 64 KiB chunks, generated lazily (memory stays flat). */
function patternStream(total: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const length = Math.min(64 * 1024, total - sent);
      this.push(patternBytes(sent, length));
      sent += length;
      stats.generatedBytes += length;
    },
  });
}

function withHead(stream: Stream, statusCode: number, headers: Record<string, string>, cookies?: string[]): Stream {
  return awslambda.HttpResponseStream.from(
    stream,
    cookies === undefined ? { statusCode, headers } : { statusCode, headers, cookies },
  );
}

async function endWith(stream: Stream, body: string | Buffer): Promise<void> {
  await pipeline(Readable.from([body]), stream);
}

export const handler = awslambda.streamifyResponse(
  async (event: APIGatewayProxyEventV2, responseStream: Stream, context: Context): Promise<void> => {
    const query = event.queryStringParameters ?? {};
    switch (event.rawPath) {
      case '/event': {
        const out = withHead(responseStream, 200, { 'content-type': 'application/json' });
        await endWith(
          out,
          JSON.stringify({ event, requestId: context.awsRequestId, env: process.env.FIXTURE_ENV ?? null }),
        );
        return;
      }
      case '/bytes': {
        // Streams `n` pattern bytes with a Content-Length the URL must remap.
        const n = Number(query.n ?? '0');
        const out = withHead(responseStream, 200, {
          'content-type': 'application/octet-stream',
          'content-length': String(n),
        });
        out.write('');
        await pipeline(patternStream(n), out);
        return;
      }
      case '/stream': {
        // Like /bytes, but records when its source was released early (the viewer went away).
        const n = Number(query.n ?? '0');
        const out = withHead(responseStream, 200, { 'content-type': 'application/octet-stream' });
        out.write('');
        await pipeline(patternStream(n), out).catch(() => {
          stats.streamsReleased += 1;
        });
        return;
      }
      case '/stats': {
        const out = withHead(responseStream, 200, { 'content-type': 'application/json' });
        await endWith(out, JSON.stringify(stats));
        return;
      }
      case '/cookies': {
        const out = withHead(responseStream, 201, { 'x-custom': 'yes', connection: 'close' }, ['a=1; Path=/', 'b=2']);
        await endWith(out, 'cookies');
        return;
      }
      case '/gzip': {
        const out = withHead(responseStream, 200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        await endWith(out, gzipSync('hello, decoded world'));
        return;
      }
      case '/plain': {
        // No HttpResponseStream.from(): the viewer gets 200 and the stream's own content type.
        responseStream.setContentType('text/plain; charset=utf-8');
        await endWith(responseStream, 'plain body');
        return;
      }
      case '/from-then-end': {
        // The runtime emits the prelude on the first write only: none here, so no handler header survives.
        const out = withHead(responseStream, 404, { 'x-lost': 'yes' });
        out.end();
        return;
      }
      case '/throw-before':
        throw new Error('boom before the first byte');
      case '/throw-after': {
        const out = withHead(responseStream, 200, { 'content-type': 'application/octet-stream' });
        out.write(patternBytes(0, 1000));
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('boom after the first byte');
      }
      case '/destroy-after': {
        const out = withHead(responseStream, 200, { 'content-type': 'application/octet-stream' });
        out.write(patternBytes(0, 1000));
        await new Promise((resolve) => setTimeout(resolve, 20));
        out.destroy(new Error('source failed mid-body'));
        return;
      }
      case '/crash': {
        // An unhandled rejection: the runtime (and the local environment) exits; the next request re-inits.
        void Promise.reject(new Error('unhandled rejection in the handler'));
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return;
      }
      case '/never-end': {
        const out = withHead(responseStream, 200, { 'content-type': 'text/plain' });
        out.write('partial');
        return; // resolves without end(): the invocation runs into the timeout
      }
      default: {
        const out = withHead(responseStream, 404, { 'content-type': 'text/plain' });
        await endWith(out, 'no such fixture');
      }
    }
  },
);
