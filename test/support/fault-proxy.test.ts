/**
 * The fault proxy on its own, in front of a tiny node:http server, so the reliability tests can trust what it
 * claims: faults fire at the exact byte offset on the exact request, keep-alive framing (Content-Length,
 * chunked, HEAD) is followed, and the connection counters tell the truth.
 */

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { type FaultProxy, startFaultProxy } from './fault-proxy.ts';

/** Deterministic, position-dependent bytes so any shift or splice shows. */
function pattern(size: number): Buffer {
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) buf[i] = (i * 31 + (i >> 8)) & 0xff;
  return buf;
}

interface Fetched {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The message ended cleanly (all declared bytes, or the chunked terminator). */
  readonly complete: boolean;
  readonly error?: string;
}

function fetchRaw(
  base: string,
  path: string,
  options: { agent?: http.Agent; method?: string; signal?: AbortSignal } = {},
): Promise<Fetched> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (result: Fetched): void => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    const req = http.request(`${base}${path}`, {
      agent: options.agent ?? false,
      method: options.method ?? 'GET',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    req.on('error', (error) =>
      finish({ status: 0, headers: {}, body: Buffer.concat(chunks), complete: false, error: error.message }),
    );
    req.on('response', (res) => {
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => {
        // 'close' reports it; res.complete is the truth.
      });
      res.on('close', () =>
        finish({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          complete: res.complete,
        }),
      );
    });
    req.end();
  });
}

describe('fault proxy', () => {
  const fixed = pattern(100_000);
  let upstream: http.Server;
  let upstreamRequests = 0;
  let proxy: FaultProxy;
  let target: string;

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      upstreamRequests += 1;
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.startsWith('/fixed/')) {
        const size = Number(url.pathname.slice('/fixed/'.length));
        res.writeHead(200, { 'content-length': String(size), 'content-type': 'application/octet-stream' });
        res.end(req.method === 'HEAD' ? undefined : fixed.subarray(0, size));
      } else if (url.pathname === '/chunked') {
        // No Content-Length: node sends Transfer-Encoding: chunked, in several chunks.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(fixed.subarray(0, 3000));
        res.write(fixed.subarray(3000, 7000));
        res.end(fixed.subarray(7000, 10_000));
      } else {
        res.writeHead(404, { 'content-length': '0' });
        res.end();
      }
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  afterEach(async () => {
    await proxy.close();
  });

  test('passes keep-alive requests through byte-identical and logs each on its connection', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    // Act
    const a = await fetchRaw(proxy.url, '/fixed/100000', { agent });
    const b = await fetchRaw(proxy.url, '/chunked', { agent });
    const c = await fetchRaw(proxy.url, '/fixed/5', { agent, method: 'HEAD' });
    const d = await fetchRaw(proxy.url, '/fixed/777', { agent });
    const idle = await proxy.waitForIdle();
    agent.destroy();
    const released = await proxy.waitFor((s) => s.open === 0);

    // Assess
    expect(a.body.equals(fixed)).toBe(true);
    expect(b.body.equals(fixed.subarray(0, 10_000))).toBe(true);
    expect(c.body.length).toBe(0);
    expect(d.body.equals(fixed.subarray(0, 777))).toBe(true);
    expect([a, b, c, d].every((r) => r.complete && r.status === 200)).toBe(true);
    expect(proxy.log.map((r) => [r.connection, r.indexOnConnection, r.method, r.path, r.status])).toEqual([
      [0, 0, 'GET', '/fixed/100000', 200],
      [0, 1, 'GET', '/chunked', 200],
      [0, 2, 'HEAD', '/fixed/5', 200],
      [0, 3, 'GET', '/fixed/777', 200],
    ]);
    expect(idle.busy).toBe(0);
    expect(released).toMatchObject({ opened: 1, closed: 1, open: 0, busy: 0 });
  });

  test('cut after N body bytes delivers exactly those bytes and then a premature end', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });
    proxy.inject({ action: { kind: 'cut', afterBodyBytes: 1234 } });

    // Act
    const cut = await fetchRaw(proxy.url, '/fixed/100000');
    const next = await fetchRaw(proxy.url, '/fixed/100000');

    // Assess
    expect(cut.status).toBe(200);
    expect(cut.complete).toBe(false);
    expect(cut.body.equals(fixed.subarray(0, 1234))).toBe(true);
    expect(next.complete).toBe(true);
    expect(next.body.equals(fixed)).toBe(true);
    expect(proxy.stats().fired.cut).toBe(1);
  });

  test('cut after N raw bytes can land inside the head', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });
    proxy.inject({ action: { kind: 'cut', afterBytes: 5 } });

    // Act
    const cut = await fetchRaw(proxy.url, '/fixed/100');

    // Assess: "HTTP/" and nothing more is not a response at all.
    expect(cut.status).toBe(0);
    expect(cut.error).toBeDefined();
  });

  test('reset after N body bytes is seen as a connection reset with at most N bytes', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });
    proxy.inject({ action: { kind: 'reset', afterBodyBytes: 500 } });

    // Act
    const reset = await fetchRaw(proxy.url, '/fixed/100000');

    // Assess
    expect(reset.complete).toBe(false);
    expect(reset.body.length).toBeLessThanOrEqual(500);
    expect(reset.body.equals(fixed.subarray(0, reset.body.length))).toBe(true);
    expect(proxy.stats().fired.reset).toBe(1);
    await proxy.waitFor((s) => s.open === 0);
  });

  test('a timed stall holds the bytes back, then delivers all of them in order', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });
    proxy.inject({ action: { kind: 'stall', afterBodyBytes: 10, ms: 150 } });

    // Act
    const stalled = await fetchRaw(proxy.url, '/fixed/100000');

    // Assess
    expect(stalled.complete).toBe(true);
    expect(stalled.body.equals(fixed)).toBe(true);
    expect(proxy.stats().fired.stall).toBe(1);
  });

  test('a stall for ever keeps the response in flight until the client gives up, then releases the socket', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });
    proxy.inject({ action: { kind: 'stall', afterBytes: 0 } });
    const controller = new AbortController();

    // Act
    const pending = fetchRaw(proxy.url, '/fixed/100', { signal: controller.signal });
    const during = await proxy.waitFor((s) => s.fired.stall === 1);
    // The client gives up (what the S3 client's first-byte timeout does).
    controller.abort();
    const result = await pending;
    const after = await proxy.waitFor((s) => s.open === 0);

    // Assess
    expect(during).toMatchObject({ open: 1, busy: 1 });
    expect(result.status).toBe(0);
    expect(after).toMatchObject({ opened: 1, closed: 1, busy: 0 });
  });

  test('a stall mid-body is released when the client closes', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });
    proxy.inject({ action: { kind: 'stall', afterBodyBytes: 100 } });
    const controller = new AbortController();

    // Act
    const pending = fetchRaw(proxy.url, '/fixed/100000', { signal: controller.signal });
    const during = await proxy.waitFor((s) => s.fired.stall === 1);
    controller.abort();
    const result = await pending;
    const after = await proxy.waitFor((s) => s.open === 0);

    // Assess
    expect(during.busy).toBe(1);
    expect(result.complete).toBe(false);
    expect(result.body.length).toBeLessThanOrEqual(100);
    expect(result.body.equals(fixed.subarray(0, result.body.length))).toBe(true);
    expect(after).toMatchObject({ opened: 1, closed: 1, busy: 0 });
  });

  test('respond answers the next K requests itself with S3 error XML; the store never sees them', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });
    proxy.inject({ action: { kind: 'respond', status: 503, message: 'marker-xyz' }, times: 2 });
    const before = upstreamRequests;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    // Act
    const first = await fetchRaw(proxy.url, '/fixed/10', { agent });
    const second = await fetchRaw(proxy.url, '/fixed/10', { agent });
    const third = await fetchRaw(proxy.url, '/fixed/10', { agent });
    agent.destroy();

    // Assess
    expect(first.status).toBe(503);
    expect(first.body.toString()).toContain('<Code>SlowDown</Code><Message>marker-xyz</Message>');
    expect(second.status).toBe(503);
    expect(third.status).toBe(200);
    expect(third.body.equals(fixed.subarray(0, 10))).toBe(true);
    expect(upstreamRequests - before).toBe(1);
    expect(proxy.log.map((r) => r.connection)).toEqual([0, 0, 0]);
  });

  test('rules apply only to matching requests, in order, for their number of uses', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });
    proxy.inject({ action: { kind: 'respond', status: 500 }, match: (r) => r.path === '/fixed/20', times: Infinity });
    proxy.inject({ action: { kind: 'cut', afterBodyBytes: 3 } });

    // Act
    const a = await fetchRaw(proxy.url, '/fixed/10');
    const b = await fetchRaw(proxy.url, '/fixed/20');
    const c = await fetchRaw(proxy.url, '/fixed/20');
    const d = await fetchRaw(proxy.url, '/fixed/10');

    // Assess
    expect(a.body.length).toBe(3);
    expect(a.complete).toBe(false);
    expect(b.status).toBe(500);
    expect(b.body.toString()).toContain('<Code>InternalError</Code>');
    expect(c.status).toBe(500);
    expect(d.complete).toBe(true);
    expect(proxy.log.map((r) => r.action.kind)).toEqual(['cut', 'respond', 'respond', 'pass']);
  });

  test('framing follows chunked and HEAD responses, so a fault lands on the intended request', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });
    proxy.inject({ action: { kind: 'cut', afterBodyBytes: 7 }, match: (r) => r.indexOnConnection === 2 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    // Act
    const chunked = await fetchRaw(proxy.url, '/chunked', { agent });
    const head = await fetchRaw(proxy.url, '/fixed/50000', { agent, method: 'HEAD' });
    const cut = await fetchRaw(proxy.url, '/fixed/50000', { agent });
    agent.destroy();

    // Assess
    expect(chunked.complete).toBe(true);
    expect(head.complete).toBe(true);
    expect(cut.complete).toBe(false);
    expect(cut.body.equals(fixed.subarray(0, 7))).toBe(true);
  });

  test('onFire holds a cut until the hook is done, so a test can act between the cut and the retry', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });
    const order: string[] = [];
    proxy.inject({
      action: { kind: 'cut', afterBodyBytes: 100 },
      onFire: async (request) => {
        order.push(`fired ${request.path}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        order.push('hook done');
      },
    });

    // Act
    const cut = await fetchRaw(proxy.url, '/fixed/100000');
    order.push('client saw the end');

    // Assess
    expect(cut.complete).toBe(false);
    expect(cut.body.equals(fixed.subarray(0, 100))).toBe(true);
    expect(order).toEqual(['fired /fixed/100000', 'hook done', 'client saw the end']);
  });

  test('rejects options and faults it does not understand', async () => {
    // Prepare
    proxy = await startFaultProxy({ target });

    // Act
    const badOption = startFaultProxy({ target, prot: 1 } as unknown as { target: string });
    const badKind = () => proxy.inject({ action: { kind: 'explode' } as unknown as { kind: 'pass' } });
    const badOffset = () => proxy.inject({ action: { kind: 'cut', afterBodyBytes: -1 } });
    const badStatus = () => proxy.inject({ action: { kind: 'respond', status: 200 } });

    // Assess
    await expect(badOption).rejects.toThrow(/unknown option prot/);
    expect(badKind).toThrow(/unknown fault kind/);
    expect(badOffset).toThrow(/afterBytes or afterBodyBytes/);
    expect(badStatus).toThrow(/4xx\/5xx/);
  });
});
