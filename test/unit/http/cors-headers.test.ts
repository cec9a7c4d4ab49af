import { type CorsPolicy, corsHeaders, EXPOSED_HEADERS } from '../../../lambda/http/cors-headers.ts';
import type { RequestFacts } from '../../../lambda/http/types.ts';

const from = (origin?: string): RequestFacts => ({
  method: 'GET',
  headers: origin === undefined ? {} : { origin },
  query: {},
});
const LIST: CorsPolicy = { allowedOrigins: ['https://player.example', 'http://localhost:3001'] };

describe('corsHeaders', () => {
  test('exposes what a cross-origin player reads', () => {
    // Prepare / Act
    const names = EXPOSED_HEADERS.split(', ');
    // Assess
    expect(names).toEqual([
      'Content-Range',
      'Content-Length',
      'Accept-Ranges',
      'ETag',
      'Last-Modified',
      'Content-Disposition',
    ]);
  });

  test.each<[string, RequestFacts, CorsPolicy | undefined, Record<string, string>]>([
    ['CORS off', from('https://player.example'), undefined, {}],
    ['CORS off, no Origin', from(), undefined, {}],
    [
      'any origin',
      from('https://anyone.example'),
      { allowedOrigins: '*' },
      { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED_HEADERS },
    ],
    [
      'any origin, same-origin request without Origin',
      from(),
      { allowedOrigins: '*' },
      { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED_HEADERS },
    ],
    [
      'listed origin is echoed',
      from('https://player.example'),
      LIST,
      {
        'access-control-allow-origin': 'https://player.example',
        'access-control-expose-headers': EXPOSED_HEADERS,
        vary: 'Origin',
      },
    ],
    [
      'second listed origin',
      from('http://localhost:3001'),
      LIST,
      {
        'access-control-allow-origin': 'http://localhost:3001',
        'access-control-expose-headers': EXPOSED_HEADERS,
        vary: 'Origin',
      },
    ],
    ['unlisted origin: only Vary', from('https://evil.example'), LIST, { vary: 'Origin' }],
    ['no Origin: only Vary', from(), LIST, { vary: 'Origin' }],
    ['prefix of a listed origin is not listed', from('https://player.example.evil'), LIST, { vary: 'Origin' }],
    ['the string null is not listed', from('null'), LIST, { vary: 'Origin' }],
    ['empty list allows nobody', from('https://player.example'), { allowedOrigins: [] }, { vary: 'Origin' }],
  ])('%s', (_name, request, policy, expected) => {
    // Prepare: the request and policy above
    // Act
    const headers = corsHeaders(request, policy);
    // Assess
    expect(headers).toEqual(expected);
  });
});

describe('corsHeaders with credentials (signed cookies)', () => {
  const policy: CorsPolicy = { allowedOrigins: ['https://player.example'], allowCredentials: true };

  test('an allowed origin gets Allow-Credentials with its own origin, never *', () => {
    // Act
    const headers = corsHeaders(from('https://player.example'), policy);
    // Assess
    expect(headers).toEqual({
      'access-control-allow-origin': 'https://player.example',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': EXPOSED_HEADERS,
      vary: 'Origin',
    });
  });

  test('another origin gets nothing but Vary', () => {
    expect(corsHeaders(from('https://evil.example'), policy)).toEqual({ vary: 'Origin' });
  });
});
