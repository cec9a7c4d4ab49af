/**
 * The demo page's live request log over real HTTP: the local stack's Function URL reports every
 * exchange, the demo server streams it on /events (Server-Sent Events). A plain node:http client reads the
 * stream while other clients use the origin; each exchange must arrive with what was asked and what was sent.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExchangeRecord } from '../../local/function-url/exchange-record.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { testRuntime } from '../support/local/runtime-mode.ts';

const KEY = 'log/clip.mp4';
const BODY = randomBytes(300_000);

/** Reads /events as it streams; `next(predicate)` resolves with the first record (already seen or to come). */
interface EventStream {
  readonly contentType: string;
  readonly records: ExchangeRecord[];
  readonly ids: string[];
  next(predicate: (record: ExchangeRecord) => boolean, timeoutMs?: number): Promise<ExchangeRecord>;
  close(): void;
}

function openEvents(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const records: ExchangeRecord[] = [];
      const ids: string[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        buffer += text;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of frame.split('\n')) {
            if (line.startsWith('id: ')) ids.push(line.slice(4));
            if (line.startsWith('data: ')) records.push(JSON.parse(line.slice(6)) as ExchangeRecord);
          }
          end = buffer.indexOf('\n\n');
        }
        for (const waiter of waiters) waiter();
      });
      resolve({
        contentType: String(res.headers['content-type']),
        records,
        ids,
        next(predicate, timeoutMs = 10_000) {
          return new Promise((found, fail) => {
            const check = (): void => {
              const match = records.find(predicate);
              if (match === undefined) return;
              waiters.delete(check);
              clearTimeout(timer);
              found(match);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(records)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

describe('the demo request log (/events)', () => {
  let stack: LocalStack;
  let events: EventStream;

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      runtime: testRuntime(),
      // Plain GETs to S3 from the first byte, so a 307 shows in the log.
      functionEnv: {
        PLAIN_GET_REDIRECT: 'presigned-s3',
        PLAIN_GET_REDIRECT_MIN_BYTES: '1',
        POWERTOOLS_LOG_LEVEL: 'CRITICAL',
      },
    });
    await stack.s3.client.send(
      new PutObjectCommand({ Bucket: stack.s3.bucket, Key: KEY, Body: BODY, ContentType: 'video/mp4' }),
    );
    events = await openEvents(`${stack.demoUrl}events`);
  }, 60_000);

  afterAll(async () => {
    events?.close();
    await stack?.close();
  });

  it('a Range request arrives with its method, path, range, status, Content-Range and bytes', async () => {
    // Prepare
    const range = 'bytes=1000-4999';

    // Act
    const response = await fetch(`${stack.url}${KEY}`, { headers: { range, 'user-agent': 'log-test/1' } });
    const body = Buffer.from(await response.arrayBuffer());
    const record = await events.next((r) => r.userAgent === 'log-test/1');

    // Assess
    expect(events.contentType).toMatch(/^text\/event-stream/);
    expect(response.status).toBe(206);
    expect(body.equals(BODY.subarray(1000, 5000))).toBe(true);
    expect(record).toMatchObject({
      method: 'GET',
      path: `/${KEY}`,
      range,
      status: 206,
      contentRange: `bytes 1000-4999/${BODY.length}`,
      bytes: 4000,
      declaredLength: 4000,
      outcome: 'complete',
      redirectedTo: null,
    });
    expect(record.firstByteMs).not.toBeNull();
    expect(record.durationMs).toBeGreaterThanOrEqual(record.firstByteMs ?? 0);
  });

  it('a plain GET redirected to S3 shows the redirect without the presigned signature', async () => {
    // Act
    const response = await fetch(`${stack.url}${KEY}`, { redirect: 'manual', headers: { 'user-agent': 'plain/1' } });
    await response.arrayBuffer();
    const record = await events.next((r) => r.userAgent === 'plain/1');

    // Assess
    const location = response.headers.get('location') ?? '';
    expect(response.status).toBe(307);
    expect(location).toContain('X-Amz-Signature=');
    expect(record.status).toBe(307);
    expect(record.range).toBeNull();
    expect(record.redirectedTo).toBe(location.split('?')[0]);
    expect(JSON.stringify(record)).not.toContain('X-Amz-Signature');
  });

  it('a page that connects later gets the backlog, and Last-Event-ID skips what it already had', async () => {
    // Prepare: one more exchange, so the backlog holds at least three.
    await (await fetch(`${stack.url}missing.mp4`, { headers: { 'user-agent': 'late/1' } })).arrayBuffer();
    await events.next((r) => r.userAgent === 'late/1');
    const seen = events.ids.length;
    const lastButOne = events.ids[seen - 2] ?? '';

    // Act
    const everything = await openEvents(`${stack.demoUrl}events`);
    const fromLast = await openEvents(`${stack.demoUrl}events`, { 'last-event-id': lastButOne });
    await everything.next((r) => r.userAgent === 'late/1');
    const late = await fromLast.next((r) => r.userAgent === 'late/1');
    everything.close();
    fromLast.close();

    // Assess
    expect(everything.records.map((r) => r.id)).toEqual(events.records.map((r) => r.id));
    expect(fromLast.records).toEqual([late]);
    expect(late.status).toBe(404);
  });
});
