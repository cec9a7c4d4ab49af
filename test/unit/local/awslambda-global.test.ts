/**
 * The `awslambda` global (local/runtimes/emulated/globals.ts) must reproduce the runtime's wire format exactly,
 * or every handler test built on it would prove nothing (runtime client `src/HttpResponseStream.js`,
 * `src/ResponseStream.js`).
 */

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { installAwsLambdaGlobal, isStreamingHandler } from '../../../local/runtimes/emulated/globals.ts';
import { INTEGRATION_CONTENT_TYPE } from '../../../local/runtimes/wire-format.ts';
import { CapturingResponseStream } from '../../support/capturing-response-stream.ts';
import { invokeStreamingHandler } from '../../support/invoke-streaming-handler.ts';
import { parseIntegrationResponse } from '../../support/parse-integration-response.ts';

let uninstall: () => void = () => {};
beforeAll(() => {
  uninstall = installAwsLambdaGlobal();
});
afterAll(() => uninstall());

describe('awslambda.HttpResponseStream.from', () => {
  test('the first write emits JSON.stringify(prelude), exactly 8 NUL bytes, then the body', () => {
    // Prepare
    const stream = new CapturingResponseStream();
    const prelude = { statusCode: 206, headers: { 'content-range': 'bytes 0-1/10' } };

    // Act
    const wrapped = awslambda.HttpResponseStream.from(stream, prelude);
    wrapped.write('ab');
    wrapped.end();

    // Assess
    expect(stream.contentType).toBe(INTEGRATION_CONTENT_TYPE);
    expect(stream.bytes).toEqual(
      Buffer.concat([Buffer.from(JSON.stringify(prelude)), Buffer.alloc(8), Buffer.from('ab')]),
    );
  });

  test('from() then end() without a write emits no prelude at all (the viewer would get a plain 200)', () => {
    // Prepare
    const stream = new CapturingResponseStream();

    // Act
    awslambda.HttpResponseStream.from(stream, { statusCode: 404 }).end();

    // Assess
    expect(stream.bytes).toHaveLength(0);
    expect(parseIntegrationResponse(stream.bytes, stream.contentType)).toMatchObject({
      prelude: undefined,
      statusCode: 200,
    });
  });

  test('an empty write after from() is enough to emit the prelude (what middy does)', () => {
    // Prepare
    const stream = new CapturingResponseStream();

    // Act
    const wrapped = awslambda.HttpResponseStream.from(stream, { statusCode: 304, headers: { etag: '"x"' } });
    wrapped.write('');
    wrapped.end();

    // Assess
    expect(parseIntegrationResponse(stream.bytes, stream.contentType)).toEqual({
      prelude: { statusCode: 304, headers: { etag: '"x"' } },
      statusCode: 304,
      headers: { etag: '"x"' },
      body: Buffer.alloc(0),
    });
  });

  test('the content type cannot change after the first write', () => {
    // Prepare
    const stream = new CapturingResponseStream();
    stream.write('x');

    // Act / Assess
    expect(() => stream.setContentType('text/plain')).toThrow('Cannot set content-type, too late.');
  });

  test('body bytes that are all NUL do not confuse the parser (the prelude itself never contains NUL)', () => {
    // Prepare
    const stream = new CapturingResponseStream();
    const wrapped = awslambda.HttpResponseStream.from(stream, { statusCode: 200, headers: { 'x-nul': '\u0000' } });

    // Act
    wrapped.write(Buffer.alloc(16));
    wrapped.end();

    // Assess
    const parsed = parseIntegrationResponse(stream.bytes, stream.contentType);
    expect(parsed.headers).toEqual({ 'x-nul': '\u0000' });
    expect(parsed.body).toEqual(Buffer.alloc(16));
  });
});

describe('awslambda.streamifyResponse and invocation', () => {
  test('streamifyResponse only marks the function', () => {
    // Prepare
    const fn = async () => {};

    // Act
    const marked = awslambda.streamifyResponse(fn);

    // Assess
    expect(marked).toBe(fn);
    expect(isStreamingHandler(marked)).toBe(true);
  });

  test('a handler that destroys its stream mid-body is reported as not ending cleanly', async () => {
    // Prepare
    const failure = new Error('body failed');
    const handler = awslambda.streamifyResponse(async (_event, responseStream) => {
      const wrapped = awslambda.HttpResponseStream.from(responseStream, { statusCode: 200 });
      const body = new Readable({
        read() {
          this.push('partial');
          this.destroy(failure);
        },
      });
      await pipeline(body, wrapped);
    });

    // Act
    const result = await invokeStreamingHandler(handler, {});

    // Assess
    expect(result.cleanEnd).toBe(false);
    expect(result.streamError).toBe(failure);
    expect(result.handlerError).toBe(failure);
  });

  test('a handler that resolves without ending the stream fails like the runtime says', async () => {
    // Prepare
    const handler = awslambda.streamifyResponse(async (_event, responseStream) => {
      responseStream.write('x');
    });

    // Act
    const result = await invokeStreamingHandler(handler, {});

    // Assess
    expect(result.cleanEnd).toBe(false);
    expect(String(result.handlerError)).toMatch(/Response stream is not finished/);
  });
});
