/**
 * The local Function URL on its own, over real HTTP, in front of a tiny fixture handler
 * (test/support/local/fixture-handler.ts) that uses the `awslambda` global directly.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExchangeRecord } from '../../local/function-url/exchange-record.ts';
import { type FunctionUrl, startFunctionUrl } from '../../local/function-url/server.ts';
import { patternBytes } from '../support/local/pattern.ts';
import { send } from '../support/viewer-request.ts';

const FIXTURE = new URL('../support/local/fixture-handler.ts', import.meta.url);
const PAYLOAD_LIMIT = 1024 * 1024;

let functionUrl: FunctionUrl;
const logLines: string[] = [];

beforeAll(async () => {
  functionUrl = await startFunctionUrl({
    handlerModule: FIXTURE,
    env: { FIXTURE_ENV: 'from-function-env' },
    maxPayloadBytes: PAYLOAD_LIMIT,
    maxRequestBytes: 64 * 1024,
    timeoutMs: 1500,
    log: (line) => logLines.push(line),
  });
});

afterAll(async () => {
  await functionUrl.close();
});

describe('request -> payload 2.0 event', () => {
  it('hands the handler a Function URL event built from the raw request', async () => {
    // Act
    const response = await send(functionUrl.url, '/event?b=%20x&a=1&a=2', {
      headers: { 'X-Multi': 'one', Cookie: 'c1=v1; c2=v2', 'User-Agent': 'it-test' },
    });

    // Assess
    const { event, env } = JSON.parse(response.body.toString());
    expect(response.status).toBe(200);
    expect(env).toBe('from-function-env');
    expect(event.rawPath).toBe('/event');
    expect(event.rawQueryString).toBe('b=%20x&a=1&a=2');
    expect(event.queryStringParameters).toEqual({ a: '1,2', b: ' x' });
    expect(event.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(event.headers['x-multi']).toBe('one');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.http).toEqual({
      method: 'GET',
      path: '/event',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'it-test',
    });
    expect(event.requestContext.requestId).toBe(response.headers['x-amzn-requestid']);
  });

  it('lets every method reach the function and passes a binary body as base64', async () => {
    // Act
    const response = await send(functionUrl.url, '/event', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.from([0, 1, 2, 255]),
    });

    // Assess
    const { event } = JSON.parse(response.body.toString());
    expect(event.requestContext.http.method).toBe('PUT');
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, 'base64')).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('refuses a request payload over the limit with 413 without invoking the function', async () => {
    // Act
    const response = await send(functionUrl.url, '/event', { method: 'POST', body: Buffer.alloc(64 * 1024 + 1) });

    // Assess
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toBe('application/json');
  });
});

describe('wire format -> HTTP response', () => {
  it('turns the prelude into status, headers and cookies and drops hop-by-hop fields', async () => {
    // Act
    const response = await send(functionUrl.url, '/cookies', { headers: { Connection: 'keep-alive' } });

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers['x-custom']).toBe('yes');
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2']);
    expect(response.headers.connection).toBe('keep-alive');
    expect(response.body.toString()).toBe('cookies');
    expect(response.complete).toBe(true);
  });

  it('renames Content-Length to x-amzn-Remapped-Content-Length and streams the exact bytes chunked', async () => {
    // Prepare
    const size = 300_001;

    // Act
    const response = await send(functionUrl.url, `/bytes?n=${size}`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.headers['x-amzn-remapped-content-length']).toBe(String(size));
    expect(response.body.equals(patternBytes(0, size))).toBe(true);
    expect(response.complete).toBe(true);
  });

  it('removes Content-Encoding and decodes the body, as the Function URL does', async () => {
    // Act
    const response = await send(functionUrl.url, '/gzip');

    // Assess
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.toString()).toBe('hello, decoded world');
  });

  it('answers a stream without HttpResponseStream.from() with 200 and its content type', async () => {
    // Act
    const response = await send(functionUrl.url, '/plain');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body.toString()).toBe('plain body');
  });

  it('answers from() then end() without a write with 200 and none of the handler headers', async () => {
    // Act
    const response = await send(functionUrl.url, '/from-then-end');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['x-lost']).toBeUndefined();
    expect(response.body.length).toBe(0);
  });

  it('adds x-amzn-RequestId and Date to every response', async () => {
    // Act
    const response = await send(functionUrl.url, '/plain');

    // Assess
    expect(response.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.date).toBeDefined();
    // X-Ray's format: version 1, the epoch seconds in 8 hex digits, 96 random bits in 24 hex digits
    expect(response.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });
});

describe('initialisation', () => {
  it('fails to start with the cause when the handler module throws at import', async () => {
    // Act
    const starting = startFunctionUrl({
      handlerModule: new URL('../support/local/broken-handler.ts', import.meta.url),
    });

    // Assess
    await expect(starting).rejects.toThrow(/failed to initialise: Error: BUCKET_NAME is required/);
  });

  it('refuses an onExchange observer that is not a function', async () => {
    // Act
    const starting = startFunctionUrl({
      handlerModule: FIXTURE,
      onExchange: 'log' as unknown as () => void,
    });

    // Assess
    await expect(starting).rejects.toThrow('onExchange must be a function, got string');
  });

  it('fails to start when the handler is not wrapped with streamifyResponse', async () => {
    // Act
    const starting = startFunctionUrl({
      handlerModule: new URL('../support/local/buffered-handler.ts', import.meta.url),
    });

    // Assess
    await expect(starting).rejects.toThrow(/not wrapped with awslambda.streamifyResponse/);
  });
});

describe('failures', () => {
  it('answers a handler error before the first byte with 502 and a JSON body', async () => {
    // Act
    const response = await send(functionUrl.url, '/throw-before');

    // Assess
    expect(response.status).toBe(502);
    expect(JSON.parse(response.body.toString())).toEqual({ Message: 'Internal Server Error' });
    expect(logLines.some((line) => line.includes('boom before the first byte'))).toBe(true);
  });

  it.each([
    ['the handler rejects', '/throw-after'],
    ['the stream is destroyed', '/destroy-after'],
    ['the stream is never ended (timeout)', '/never-end'],
  ])('cuts the connection without the terminating chunk when %s after the first byte', async (_label, path) => {
    // Act
    const response = await send(functionUrl.url, path);

    // Assess
    expect(response.status).toBe(200);
    expect(response.complete).toBe(false);
  });

  it('cuts the transfer once the streamed payload limit is exceeded, never sending more', async () => {
    // Act
    const response = await send(functionUrl.url, `/bytes?n=${PAYLOAD_LIMIT * 2}`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.complete).toBe(false);
    expect(response.body.length).toBeLessThanOrEqual(PAYLOAD_LIMIT);
    expect(response.body.equals(patternBytes(0, response.body.length))).toBe(true);
  });

  it('answers 502 when the environment crashes, then serves from a fresh environment', async () => {
    // Act
    const crashed = await send(functionUrl.url, '/crash');
    const next = await send(functionUrl.url, '/plain');

    // Assess
    expect(crashed.status).toBe(502);
    expect(next.status).toBe(200);
    expect(next.body.toString()).toBe('plain body');
    // ...and the crash is said in the log, not only visible as a 502
    expect(
      logLines.some((line) => /execution environment crashed \(.*\); 1 invocation\(s\) in flight failed/.test(line)),
    ).toBe(true);
  });

  it('reports each exchange to onExchange, and an observer that throws breaks nothing', async () => {
    // Prepare
    const ownLog: string[] = [];
    const records: ExchangeRecord[] = [];
    const observed = await startFunctionUrl({
      handlerModule: FIXTURE,
      log: (line) => ownLog.push(line),
      onExchange: (record) => {
        records.push(record);
        throw new Error('observer bug');
      },
    });

    // Act
    const first = await send(observed.url, '/plain');
    const second = await send(observed.url, '/throw-before');
    await observed.close();

    // Assess
    expect([first.status, first.body.toString()]).toEqual([200, 'plain body']);
    expect(second.status).toBe(502);
    expect(records.map((r) => [r.path, r.status, r.bytes, r.outcome])).toEqual([
      ['/plain', 200, 'plain body'.length, 'complete'],
      ['/throw-before', 502, second.body.length, 'error-response'],
    ]);
    expect(ownLog.filter((line) => line.includes('onExchange observer failed: observer bug'))).toHaveLength(2);
  });

  it('keeps serving after failures', async () => {
    // Act
    const response = await send(functionUrl.url, '/plain');

    // Assess
    expect(response.status).toBe(200);
    expect(response.complete).toBe(true);
  });

  it('destroys the handler stream when the viewer disconnects, so its source is released', async () => {
    // Prepare: a URL with the default 200 MiB payload limit, so only the disconnect can stop the stream.
    const total = 512 * 1024 * 1024;
    const ownLog: string[] = [];
    const unlimited = await startFunctionUrl({ handlerModule: FIXTURE, log: (line) => ownLog.push(line) });
    const before = JSON.parse((await send(unlimited.url, '/stats')).body.toString());

    // Act: read the first bytes, then hang up.
    await new Promise<void>((resolve, reject) => {
      const base = new URL(unlimited.url);
      const req = httpRequest(
        { host: base.hostname, port: base.port, path: `/stream?n=${total}`, agent: false },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (error) => {
        if (!req.destroyed) reject(error);
      });
      req.end();
    });
    let after = before;
    for (let attempt = 0; attempt < 100 && after.streamsReleased === before.streamsReleased; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = JSON.parse((await send(unlimited.url, '/stats')).body.toString());
    }
    await unlimited.close();

    // Assess
    expect(after.streamsReleased).toBe(before.streamsReleased + 1);
    expect(after.generatedBytes - before.generatedBytes).toBeLessThan(total / 8);
    expect(ownLog.some((line) => line.includes('payload exceeded'))).toBe(false);
  });
});
