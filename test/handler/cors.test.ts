/**
 * CORS answered by the function only (CORS_ALLOWED_ORIGINS set; the Function URL's own CORS stays empty so
 * no header is ever duplicated): preflights, actual responses, and errors readable cross-origin.
 */
import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { type FakeS3, installFakeS3, type StoredObject } from '../support/fake-s3.ts';
import { functionUrlEvent } from '../support/function-url-event.ts';
import { leakedBodies, patternBytes, resetBodies } from '../support/s3-body.ts';
import { BUCKET, type LoadedHandler, loadHandler } from './handler-harness.ts';

const origin = 'https://player.example';
const objects = new Map<string, StoredObject>([
  ['clip.mp4', { body: patternBytes(100), etag: '"v1"', lastModified: new Date('2025-01-01T00:00:00Z') }],
]);

let loaded: LoadedHandler;
let fake: FakeS3;

beforeAll(async () => {
  loaded = await loadHandler({ CORS_ALLOWED_ORIGINS: `${origin},http://localhost:3001` });
});
afterEach(() => {
  fake.mock.restore();
  expect(leakedBodies()).toEqual([]);
  resetBodies();
});

describe('CORS on', () => {
  test('OPTIONS preflight from an allowed origin: 204 grant, no S3 request', async () => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({
        method: 'OPTIONS',
        path: '/clip.mp4',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
    });
    expect(response.headers['access-control-allow-headers']).toMatch(/Range/);
    expect(fake.calls).toHaveLength(0);
  });

  test('GET from an allowed origin: the origin echoed, Content-Range exposed, Vary: Origin', async () => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4', headers: { origin, range: 'bytes=0-1' } }),
    );

    // Assess
    expect(response.statusCode).toBe(206);
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    expect(response.headers['access-control-expose-headers']).toMatch(/Content-Range/);
    expect(response.headers.vary).toBe('Origin');
  });

  test('errors are readable cross-origin too (a player sees 404, not a CORS failure)', async () => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });

    // Act
    const response = await loaded.invoke(functionUrlEvent({ path: '/missing.mp4', headers: { origin } }));

    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.headers['access-control-allow-origin']).toBe(origin);
  });

  test('another origin gets no grant, but Vary: Origin so caches keep them apart', async () => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });

    // Act
    const response = await loaded.invoke(
      functionUrlEvent({ path: '/clip.mp4', headers: { origin: 'https://evil.example' } }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers.vary).toBe('Origin');
  });

  test('methods other than GET, HEAD, OPTIONS: 405 offering OPTIONS', async () => {
    // Prepare
    fake = installFakeS3({ bucket: BUCKET, objects });

    // Act
    const response = await loaded.invoke(functionUrlEvent({ method: 'POST', path: '/clip.mp4' }));

    // Assess
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});
