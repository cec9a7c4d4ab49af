import { parseSignArgs, UsageError } from '../../../bin/sign/args.ts';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const now = NOW / 1000;
const required = ['--key-pair-id', 'K2JCJMDEHXQW5F', '--private-key', 'keys/private_key.pem'];

describe('parseSignArgs', () => {
  test('a URL for two hours', () => {
    // Act
    const options = parseSignArgs(['https://d111.cloudfront.net/a.mp4', '--expires', '2h', ...required], {}, NOW);
    // Assess
    expect(options).toEqual({
      kind: 'sign',
      url: 'https://d111.cloudfront.net/a.mp4',
      expires: now + 7200,
      notBefore: undefined,
      ip: undefined,
      cookies: false,
      keyPairId: 'K2JCJMDEHXQW5F',
      privateKeyFile: 'keys/private_key.pem',
      algorithm: 'SHA1',
    });
  });

  test('cookies for a prefix, with a window, an IPv6 range, SHA-256, key from the environment', () => {
    // Act
    const options = parseSignArgs(
      [
        'https://d111.cloudfront.net/hls/*',
        '--cookies',
        '--expires',
        '2026-12-02T00:00:00Z',
        '--not-before',
        '5m',
        '--ip',
        '2001:db8::/32',
        '--sha256',
      ],
      { CLOUDFRONT_KEY_PAIR_ID: 'KENV', CLOUDFRONT_PRIVATE_KEY_FILE: '/k.pem' },
      NOW,
    );
    // Assess
    expect(options).toMatchObject({
      cookies: true,
      expires: Date.UTC(2026, 11, 2) / 1000,
      notBefore: now + 300,
      ip: '2001:db8::/32',
      keyPairId: 'KENV',
      privateKeyFile: '/k.pem',
      algorithm: 'SHA256',
    });
  });

  test('--generate-key-pair', () => {
    expect(parseSignArgs(['--generate-key-pair', 'keys'], {}, NOW)).toEqual({ kind: 'generate-key-pair', dir: 'keys' });
  });

  test('--help', () => {
    expect(parseSignArgs(['-h'], {}, NOW)).toBe('help');
  });

  test.each<[string, string[], RegExp]>([
    ['no URL', ['--expires', '2h', ...required], /exactly one URL/],
    ['two URLs', ['https://a.example/a', 'https://a.example/b', '--expires', '2h', ...required], /exactly one URL/],
    ['not a URL', ['a.mp4', '--expires', '2h', ...required], /absolute http\(s\) URL/],
    ['no path', ['https://a.example', '--expires', '2h', ...required], /absolute http\(s\) URL/],
    ['ftp', ['ftp://a.example/a', '--expires', '2h', ...required], /absolute http\(s\) URL/],
    ['no expiry', ['https://a.example/a', ...required], /--expires is required/],
    ['expiry in words', ['https://a.example/a', '--expires', 'tomorrow', ...required], /duration .* or an ISO date/],
    ['expiry in the past', ['https://a.example/a', '--expires', '2020-01-01T00:00:00Z', ...required], /future/],
    [
      'not-before after expiry',
      ['https://a.example/a', '--expires', '1h', '--not-before', '2h', ...required],
      /earlier/,
    ],
    ['bad IP', ['https://a.example/a', '--expires', '1h', '--ip', '10.0.0.0/33', ...required], /--ip/],
    ['no key id', ['https://a.example/a', '--expires', '1h', '--private-key', 'k.pem'], /--key-pair-id is required/],
    [
      'bad key id',
      ['https://a.example/a', '--expires', '1h', '--key-pair-id', 'a b', '--private-key', 'k'],
      /CloudFront key id/,
    ],
    ['no private key', ['https://a.example/a', '--expires', '1h', '--key-pair-id', 'K1'], /--private-key is required/],
    ['unknown option', ['https://a.example/a', '--expire', '1h', ...required], /Unknown option/],
  ])('refuses %s', (_name, argv, message) => {
    // Act
    const act = () => parseSignArgs(argv, {}, NOW);
    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(message);
  });
});
