import { extractSignedToken } from '../../../lambda/signed-requests/extract-signed-token.ts';

describe('extractSignedToken', () => {
  test('canned URL: token out, other parameters kept byte for byte and in order', () => {
    // Act
    const result = extractSignedToken('download=a%20b.mp4&Expires=100&Signature=c2ln&Key-Pair-Id=K1&x=%7E', []);
    // Assess
    expect(result).toEqual({
      kind: 'token',
      query: 'download=a%20b.mp4&x=%7E',
      token: {
        source: 'url',
        keyPairId: 'K1',
        signature: 'c2ln',
        expires: '100',
        policy: undefined,
        hashAlgorithm: 'SHA1',
      },
    });
  });

  test('custom URL with Hash-Algorithm=SHA256, percent-encoded values decoded', () => {
    // Act
    const result = extractSignedToken('Policy=eyJ9&Signature=a%7Eb&Key-Pair-Id=K1&Hash-Algorithm=SHA256', undefined);
    // Assess
    expect(result).toMatchObject({
      kind: 'token',
      query: '',
      token: { source: 'url', policy: 'eyJ9', signature: 'a~b', expires: undefined, hashAlgorithm: 'SHA256' },
    });
  });

  test('cookies when the URL carries none', () => {
    // Act
    const result = extractSignedToken('download=x', [
      'theme=dark',
      'CloudFront-Policy=eyJ9',
      'CloudFront-Signature=c2ln',
      'CloudFront-Key-Pair-Id=K1',
    ]);
    // Assess
    expect(result).toMatchObject({ kind: 'token', query: 'download=x', token: { source: 'cookies', policy: 'eyJ9' } });
  });

  test('a URL token wins over cookies', () => {
    // Act
    const result = extractSignedToken('Expires=1&Signature=c2ln&Key-Pair-Id=URL', [
      'CloudFront-Expires=2',
      'CloudFront-Signature=b3RoZXI_',
      'CloudFront-Key-Pair-Id=COOKIE',
    ]);
    // Assess
    expect(result).toMatchObject({ kind: 'token', token: { source: 'url', keyPairId: 'URL' } });
  });

  test('nothing signed: none, query untouched', () => {
    expect(extractSignedToken('a=1&b', ['x=y'])).toEqual({ kind: 'none', query: 'a=1&b' });
  });

  test.each<[string, string, string[]]>([
    ['duplicate Signature', 'Expires=1&Signature=a&Signature=b&Key-Pair-Id=K', []],
    ['duplicate Key-Pair-Id', 'Expires=1&Signature=a&Key-Pair-Id=K&Key-Pair-Id=K', []],
    ['both Expires and Policy', 'Expires=1&Policy=eyJ9&Signature=a&Key-Pair-Id=K', []],
    ['neither Expires nor Policy', 'Signature=a&Key-Pair-Id=K', []],
    ['no Signature', 'Expires=1&Key-Pair-Id=K', []],
    ['empty Signature', 'Expires=1&Signature=&Key-Pair-Id=K', []],
    ['no Key-Pair-Id', 'Expires=1&Signature=a', []],
    ['unknown hash algorithm', 'Expires=1&Signature=a&Key-Pair-Id=K&Hash-Algorithm=MD5', []],
    ['bad percent-encoding', 'Expires=1&Signature=%E0%A4%A&Key-Pair-Id=K', []],
    [
      'duplicate cookie',
      '',
      ['CloudFront-Expires=1', 'CloudFront-Signature=a', 'CloudFront-Signature=b', 'CloudFront-Key-Pair-Id=K'],
    ],
    ['incomplete cookies', '', ['CloudFront-Key-Pair-Id=K']],
  ])('malformed: %s', (_name, query, cookies) => {
    // Act
    const result = extractSignedToken(query, cookies);
    // Assess
    expect(result.kind).toBe('malformed');
    expect(result.query).not.toMatch(/Signature|Key-Pair-Id|Expires|Policy|Hash-Algorithm/);
  });
});
