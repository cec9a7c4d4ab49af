import { planMethodNotAllowed } from '../../../lambda/http/plan-method-not-allowed.ts';

const request = { method: 'POST', headers: { origin: 'https://a.example' }, query: {} };

describe('planMethodNotAllowed (RFC 9110 15.5.6)', () => {
  test('CORS off: Allow GET, HEAD', () => {
    // Prepare / Act
    const plan = planMethodNotAllowed(request, { cors: undefined });
    // Assess
    expect(plan).toEqual({
      status: 405,
      headers: {
        allow: 'GET, HEAD',
        'content-length': '0',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: { kind: 'none' },
    });
  });

  test('CORS on: Allow also lists OPTIONS, and the answer is readable cross-origin', () => {
    // Prepare / Act
    const plan = planMethodNotAllowed(request, { cors: { allowedOrigins: '*' } });
    // Assess
    expect(plan.status).toBe(405);
    expect(plan.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(plan.headers['access-control-allow-origin']).toBe('*');
  });
});
