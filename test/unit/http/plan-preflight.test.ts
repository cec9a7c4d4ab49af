import { EXPOSED_HEADERS } from '../../../lambda/http/cors-headers.ts';
import { ALLOWED_REQUEST_HEADERS, planPreflight } from '../../../lambda/http/plan-preflight.ts';
import type { RequestFacts } from '../../../lambda/http/types.ts';

const preflight = (origin: string | undefined, requestHeaders?: string): RequestFacts => ({
  method: 'OPTIONS',
  headers: {
    ...(origin === undefined ? {} : { origin }),
    'access-control-request-method': 'GET',
    ...(requestHeaders === undefined ? {} : { 'access-control-request-headers': requestHeaders }),
  },
  query: {},
});
const LIST = { allowedOrigins: ['https://player.example'] };

describe('planPreflight', () => {
  test('allowed origin: 204 with the grant and no Content-Length (RFC 9110 8.6)', () => {
    // Prepare
    const request = preflight('https://player.example', 'range,if-range');
    // Act
    const plan = planPreflight(request, LIST);
    // Assess
    expect(plan).toEqual({
      status: 204,
      headers: {
        allow: 'GET, HEAD, OPTIONS',
        'x-content-type-options': 'nosniff',
        'access-control-allow-origin': 'https://player.example',
        'access-control-expose-headers': EXPOSED_HEADERS,
        'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        'access-control-allow-headers': ALLOWED_REQUEST_HEADERS,
        'access-control-max-age': '86400',
        vary: 'Origin',
      },
      body: { kind: 'none' },
    });
  });

  test('the allowed request headers cover Range and every validator', () => {
    // Prepare / Act
    const names = ALLOWED_REQUEST_HEADERS.toLowerCase().split(', ');
    // Assess
    expect(names).toEqual([
      'range',
      'if-range',
      'if-match',
      'if-none-match',
      'if-modified-since',
      'if-unmodified-since',
    ]);
  });

  test('any origin (*)', () => {
    // Prepare
    const request = preflight('https://anyone.example');
    // Act
    const plan = planPreflight(request, { allowedOrigins: '*' });
    // Assess
    expect(plan.status).toBe(204);
    expect(plan.headers['access-control-allow-origin']).toBe('*');
    expect(plan.headers['access-control-allow-headers']).toBe(ALLOWED_REQUEST_HEADERS);
    expect(plan.headers.vary).toBeUndefined();
  });

  test.each([
    ['unlisted origin', preflight('https://evil.example')],
    ['no Origin', preflight(undefined)],
  ])('%s: 204 without any Access-Control-Allow-* header', (_name, request) => {
    // Prepare: the request above
    // Act
    const plan = planPreflight(request, LIST);
    // Assess
    expect(plan.status).toBe(204);
    expect(Object.keys(plan.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(plan.headers.vary).toBe('Origin');
    expect(plan.headers['content-length']).toBeUndefined();
  });

  test('a plain OPTIONS (no Access-Control-Request-Method) gets Allow and actual-response CORS headers only', () => {
    // Prepare
    const request: RequestFacts = { method: 'OPTIONS', headers: { origin: 'https://player.example' }, query: {} };
    // Act
    const plan = planPreflight(request, LIST);
    // Assess
    expect(plan.status).toBe(204);
    expect(plan.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(plan.headers['access-control-allow-origin']).toBe('https://player.example');
    expect(plan.headers['access-control-allow-methods']).toBeUndefined();
  });

  test('CORS off: OPTIONS is not offered, 405 Allow GET, HEAD', () => {
    // Prepare
    const request = preflight('https://player.example');
    // Act
    const plan = planPreflight(request, undefined);
    // Assess
    expect(plan.status).toBe(405);
    expect(plan.headers.allow).toBe('GET, HEAD');
    expect(plan.headers['access-control-allow-origin']).toBeUndefined();
  });
});
