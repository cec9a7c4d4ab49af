import { planError } from '../../../lambda/http/plan-error.ts';
import type { RequestFacts } from '../../../lambda/http/types.ts';

const get: RequestFacts = { method: 'GET', headers: { origin: 'https://a.example' }, query: {} };

describe('planError', () => {
  test('a text/plain answer with the base headers', () => {
    // Prepare / Act
    const plan = planError(404, 'Not Found', get, { cors: { allowedOrigins: '*' } });
    // Assess
    expect(plan).toEqual({
      status: 404,
      headers: {
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'access-control-allow-origin': '*',
        'access-control-expose-headers': expect.any(String),
        'content-type': 'text/plain; charset=utf-8',
        'content-length': '10',
      },
      body: { kind: 'text', text: 'Not Found\n' },
    });
  });

  test('content-length counts UTF-8 bytes', () => {
    // Prepare / Act
    const plan = planError(400, 'clé', get, { cors: undefined });
    // Assess
    expect(plan.headers['content-length']).toBe('5');
  });

  test('HEAD gets the same headers and no body (RFC 9110 9.3.2)', () => {
    // Prepare
    const head: RequestFacts = { ...get, method: 'HEAD' };
    // Act
    const plan = planError(404, 'Not Found', head, { cors: undefined });
    // Assess
    expect(plan).toEqual({
      status: 404,
      headers: {
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-type': 'text/plain; charset=utf-8',
        'content-length': '10',
      },
      body: { kind: 'none' },
    });
  });

  test('control characters become spaces and long messages are cut', () => {
    // Prepare
    const message = `a\r\nb\u0000c${'x'.repeat(1000)}`;
    // Act
    const plan = planError(400, message, get, { cors: undefined });
    // Assess
    expect(plan.body).toEqual({ kind: 'text', text: `a  b c${'x'.repeat(294)}\n` });
  });

  test('extra headers are added with lower-case names', () => {
    // Prepare / Act
    const plan = planError(503, 'Busy', get, { cors: undefined }, { 'Retry-After': '1' });
    // Assess
    expect(plan.headers['retry-after']).toBe('1');
  });

  test('extra header values with CR or LF are refused', () => {
    // Prepare / Act
    const act = (): unknown => planError(503, 'Busy', get, { cors: undefined }, { 'retry-after': '1\r\nx: y' });
    // Assess
    expect(act).toThrow(RangeError);
  });

  test.each([200, 304, 399, 600, 404.5])('refuses status %p', (status) => {
    // Prepare / Act
    const act = (): unknown => planError(status, 'x', get, { cors: undefined });
    // Assess
    expect(act).toThrow(RangeError);
  });
});
