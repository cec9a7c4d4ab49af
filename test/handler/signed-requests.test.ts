/**
 * Private media through the real handler: CloudFront signed URLs and signed cookies minted by
 * @aws-sdk/cloudfront-signer admit GET/HEAD; everything else gets the same 403 (fixed body, no-store, CORS), the
 * reason only in the log line, and no signature, policy or cookie value in any log line.
 */
import { afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { encodeCloudFrontBase64 } from '../../lambda/signed-requests/cloudfront-base64.ts';
import { type FakeS3, installFakeS3, type StoredObject } from '../support/fake-s3.ts';
import { functionUrlEvent } from '../support/function-url-event.ts';
import { leakedBodies, patternBytes, resetBodies } from '../support/s3-body.ts';
import {
  cannedUrl,
  customCookies,
  customPolicy,
  customUrl,
  rawPathOf,
  rawQueryOf,
  signingKeysJson,
  testKeyPair,
} from '../support/signing-keys.ts';
import { BUCKET, type LoadedHandler, loadHandler } from './handler-harness.ts';

const origin = 'https://player.example';
const HOST = 'abcdefghij.lambda-url.us-east-1.on.aws';
const BASE = `https://${HOST}`;
const pair = testKeyPair('K2JCJMDEHXQW5F');
const stranger = testKeyPair('KSTRANGER');
const clip = patternBytes(1000);
const objects = new Map<string, StoredObject>([
  ['clip.mp4', { body: clip, etag: '"v1"', lastModified: new Date('2025-01-01T00:00:00Z') }],
  ['hls/index.m3u8', { body: patternBytes(50), etag: '"p1"', lastModified: new Date('2025-01-01T00:00:00Z') }],
  ['hls/seg-1.ts', { body: patternBytes(300), etag: '"s1"', lastModified: new Date('2025-01-01T00:00:00Z') }],
]);
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

let loaded: LoadedHandler;
let fake: FakeS3;
/** Every logger call's arguments, serialized the way the logger prints them (errors with message and cause). */
let logText: () => string;

beforeAll(async () => {
  loaded = await loadHandler({
    REQUIRE_SIGNED_REQUESTS: 'true',
    SIGNING_PUBLIC_KEYS: signingKeysJson(pair),
    CORS_ALLOWED_ORIGINS: origin,
    CORS_ALLOW_CREDENTIALS: 'true',
  });
  const { logger } = await import('../../lambda/observability/logger.ts');
  // The harness already spies on info, error and warn (their calls are recorded); debug is spied here.
  jest.spyOn(logger, 'debug').mockImplementation(() => {});
  const spies = [logger.info, logger.error, logger.warn, logger.debug].map((method) => jest.mocked(method));
  logText = () =>
    spies
      .flatMap((spy) => spy.mock.calls)
      .map((call) => serialize(call))
      .join('\n');
});
afterEach(() => {
  fake.mock.restore();
  expect(leakedBodies()).toEqual([]);
  resetBodies();
});

function serialize(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item instanceof Error ? { name: item.name, message: item.message, stack: item.stack, cause: item.cause } : item,
  );
}

/** The event for a request to `url` (absolute, possibly signed). */
function eventFor(url: string, init: { method?: string; headers?: Record<string, string>; cookies?: string[] } = {}) {
  const event: LambdaFunctionURLEvent = functionUrlEvent({
    method: init.method ?? 'GET',
    path: rawPathOf(url),
    query: rawQueryOf(url),
    headers: { origin, ...init.headers },
  });
  return init.cookies === undefined ? event : { ...event, cookies: init.cookies };
}

describe('admitted', () => {
  test('a canned signed URL: 206 with the stored bytes', async () => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });
    const url = cannedUrl(pair, `${BASE}/clip.mp4`, nowSeconds() + 60);

    // Act
    const response = await loaded.invoke(eventFor(url, { headers: { range: 'bytes=0-99' } }));

    // Assess
    expect(response.statusCode).toBe(206);
    expect(response.body).toEqual(clip.subarray(0, 100));
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
  });

  test('?download= still works on a signed URL (the signing parameters are gone, the rest is read)', async () => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });
    const url = cannedUrl(pair, `${BASE}/clip.mp4?download=my-clip.mp4`, nowSeconds() + 60);

    // Act
    const response = await loaded.invoke(eventFor(url));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="my-clip.mp4"/);
    expect(fake.calls.map((call) => call.input.Key)).toEqual(['clip.mp4']);
  });

  test('signed cookies for a prefix admit the playlist and its segments', async () => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });
    const cookies = customCookies(pair, customPolicy({ resource: `${BASE}/hls/*`, dateLessThan: nowSeconds() + 60 }));

    // Act
    const playlist = await loaded.invoke(eventFor(`${BASE}/hls/index.m3u8`, { cookies }));
    const segment = await loaded.invoke(eventFor(`${BASE}/hls/seg-1.ts`, { cookies: ['theme=dark', ...cookies] }));
    const outside = await loaded.invoke(eventFor(`${BASE}/clip.mp4`, { cookies }));

    // Assess
    expect(playlist.statusCode).toBe(200);
    expect(segment.statusCode).toBe(200);
    expect(segment.body).toEqual(patternBytes(300));
    expect(outside.statusCode).toBe(403);
  });

  test('OPTIONS preflight needs no signature', async () => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });

    // Act
    const response = await loaded.invoke(
      eventFor(`${BASE}/clip.mp4`, { method: 'OPTIONS', headers: { 'access-control-request-method': 'GET' } }),
    );

    // Assess
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(fake.calls).toHaveLength(0);
  });
});

describe('refused: the same 403 whatever the reason, the reason only in the log', () => {
  const expired = () => cannedUrl(pair, `${BASE}/clip.mp4`, nowSeconds() - 1);
  const cases: ReadonlyArray<readonly [string, () => LambdaFunctionURLEvent, string]> = [
    ['no signature', () => eventFor(`${BASE}/clip.mp4`), 'missing'],
    ['expired by 1 s', () => eventFor(expired()), 'expired'],
    [
      'not yet valid',
      () =>
        eventFor(
          customUrl(
            pair,
            `${BASE}/clip.mp4`,
            customPolicy({ dateLessThan: nowSeconds() + 3600, dateGreaterThan: nowSeconds() + 600 }),
          ),
        ),
      'not-yet-valid',
    ],
    ['unknown key', () => eventFor(cannedUrl(stranger, `${BASE}/clip.mp4`, nowSeconds() + 60)), 'unknown-key'],
    [
      'signature for another object',
      () => eventFor(cannedUrl(pair, `${BASE}/other.mp4`, nowSeconds() + 60).replace('/other.mp4', '/clip.mp4')),
      'bad-signature',
    ],
    [
      'IP outside the CIDR',
      () =>
        eventFor(
          customUrl(
            pair,
            `${BASE}/clip.mp4`,
            customPolicy({ dateLessThan: nowSeconds() + 60, sourceIp: '198.51.100.0/24' }),
          ),
        ),
      'ip-mismatch',
    ],
    [
      'policy for another prefix',
      () =>
        eventFor(
          customUrl(
            pair,
            `${BASE}/clip.mp4`,
            customPolicy({ resource: `${BASE}/hls/*`, dateLessThan: nowSeconds() + 60 }),
          ),
        ),
      'resource-mismatch',
    ],
    [
      'malformed policy',
      () =>
        eventFor(`${BASE}/clip.mp4?Policy=${encodeCloudFrontBase64('{')}x&Signature=YWJj&Key-Pair-Id=K2JCJMDEHXQW5F`),
      'malformed-policy',
    ],
    ['duplicate parameters', () => eventFor(`${expired()}&Signature=YWJj`), 'malformed-token'],
    [
      'expired cookies',
      () =>
        eventFor(`${BASE}/clip.mp4`, {
          cookies: customCookies(pair, customPolicy({ resource: `${BASE}/*`, dateLessThan: nowSeconds() - 1 })),
        }),
      'expired',
    ],
  ];

  test.each(cases)('%s -> 403, logged as %s, no token in any log line', async (_name, makeEvent, reason) => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });
    const event = makeEvent();
    const secrets = [
      ...new URLSearchParams(event.rawQueryString).entries(),
      ...(event.cookies ?? []).map((cookie) => cookie.split('=', 2) as [string, string]),
    ]
      .filter(([name]) => /Signature|Policy|Expires/.test(name))
      .map(([, value]) => value)
      .filter((value) => value.length > 3);
    const before = loaded.logs.length;

    // Act
    const response = await loaded.invoke(event);
    const logs = await loaded.waitForLogs(before + 1);

    // Assess
    expect(response.statusCode).toBe(403);
    expect(response.body.toString('utf8')).toBe('Forbidden\n');
    expect(response.headers).toMatchObject({
      'cache-control': 'no-store',
      'content-type': 'text/plain; charset=utf-8',
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
    });
    expect(fake.calls).toHaveLength(0);
    const entry = logs[before];
    expect(entry?.status).toBe(403);
    expect(serialize(entry)).toContain(`signed request refused: ${reason}`);
    const text = logText();
    expect(text).toContain(`signed request refused: ${reason}`);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  test('every refusal looks the same to the viewer', async () => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });

    // Act
    const answers = [];
    for (const [, makeEvent] of cases) {
      const response = await loaded.invoke(makeEvent());
      const { date: _date, ...headers } = response.headers;
      answers.push({ status: response.statusCode, headers, body: response.body.toString('utf8') });
    }

    // Assess
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
  });

  test('HEAD without a signature: 403 without a body', async () => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });

    // Act
    const response = await loaded.invoke(eventFor(`${BASE}/clip.mp4`, { method: 'HEAD' }));

    // Assess
    expect(response.statusCode).toBe(403);
    expect(response.body).toHaveLength(0);
  });
});
