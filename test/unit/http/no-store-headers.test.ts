import { noStoreHeaders } from '../../../lambda/http/no-store-headers.ts';

describe('noStoreHeaders', () => {
  test('no-store, nosniff, and the CORS headers of the request', () => {
    // Prepare
    const request = { method: 'GET', headers: { origin: 'https://a.example' }, query: {} };
    // Act
    const headers = noStoreHeaders(request, { allowedOrigins: ['https://a.example'] });
    // Assess
    expect(headers).toEqual({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'access-control-allow-origin': 'https://a.example',
      'access-control-expose-headers': expect.any(String),
      vary: 'Origin',
    });
  });

  test('without CORS', () => {
    // Prepare
    const request = { method: 'GET', headers: { origin: 'https://a.example' }, query: {} };
    // Act
    const headers = noStoreHeaders(request, undefined);
    // Assess
    expect(headers).toEqual({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  });
});
