/** lambda/config.ts: the private-media variables (signed requests, playlist tokens) and CORS credentials. */
import { ConfigError, loadConfig } from '../../lambda/config.ts';
import { signingKeysJson, testKeyPair } from '../support/signing-keys.ts';

const base = { BUCKET_NAME: 'media' };
const pair = testKeyPair('K2JCJMDEHXQW5F');

describe('signed requests', () => {
  test('off by default, even with keys configured', () => {
    expect(loadConfig(base).signedRequests).toBeUndefined();
    expect(loadConfig({ ...base, SIGNING_PUBLIC_KEYS: signingKeysJson(pair) }).signedRequests).toBeUndefined();
  });

  test('REQUIRE_SIGNED_REQUESTS=true parses the keys once and the public bases', () => {
    // Act
    const config = loadConfig({
      ...base,
      REQUIRE_SIGNED_REQUESTS: 'true',
      SIGNING_PUBLIC_KEYS: signingKeysJson(pair),
      SIGNED_URL_BASE: 'https://d111.cloudfront.net, https://media.example.com',
    });
    // Assess
    expect([...(config.signedRequests?.keys.keys() ?? [])]).toEqual(['K2JCJMDEHXQW5F']);
    expect(config.signedRequests?.keys.get('K2JCJMDEHXQW5F')?.type).toBe('public');
    expect(config.signedRequests?.baseUrls).toEqual(['https://d111.cloudfront.net', 'https://media.example.com']);
  });

  test.each<[string, Record<string, string>, RegExp]>([
    [
      'required without keys',
      { REQUIRE_SIGNED_REQUESTS: 'true' },
      /REQUIRE_SIGNED_REQUESTS=true needs SIGNING_PUBLIC_KEYS/,
    ],
    [
      'a typo in the flag',
      { REQUIRE_SIGNED_REQUESTS: 'yes' },
      /REQUIRE_SIGNED_REQUESTS must be "true" or "false", got "yes"/,
    ],
    [
      'keys not JSON',
      { REQUIRE_SIGNED_REQUESTS: 'true', SIGNING_PUBLIC_KEYS: 'K1=pem' },
      /SIGNING_PUBLIC_KEYS must be a JSON object/,
    ],
    [
      'a key that is not PEM',
      { REQUIRE_SIGNED_REQUESTS: 'true', SIGNING_PUBLIC_KEYS: '{"K1":"-----BEGIN nothing"}' },
      /SIGNING_PUBLIC_KEYS key K1 is not a PEM public key/,
    ],
    [
      'a base URL with a path',
      {
        REQUIRE_SIGNED_REQUESTS: 'true',
        SIGNING_PUBLIC_KEYS: signingKeysJson(pair),
        SIGNED_URL_BASE: 'https://d.example/x',
      },
      /SIGNED_URL_BASE must be/,
    ],
  ])('refuses %s', (_name, env, message) => {
    // Act
    const act = () => loadConfig({ ...base, ...env });
    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(message);
  });
});

describe('playlist tokens (PLAYLIST_TOKENS)', () => {
  const verifying = { REQUIRE_SIGNED_REQUESTS: 'true', SIGNING_PUBLIC_KEYS: signingKeysJson(pair) };

  test('unset: on when the function verifies signatures, off otherwise', () => {
    // Act
    const verified = loadConfig({ ...base, ...verifying, SIGNED_URL_BASE: 'https://d111.cloudfront.net' });
    const plain = loadConfig(base);
    // Assess
    expect(verified.playlistTokens).toEqual({ verifiedBy: 'function', baseUrls: ['https://d111.cloudfront.net'] });
    expect(plain.playlistTokens).toBeUndefined();
  });

  test('edge-verified: on without the function verifying, with the public bases', () => {
    // Act
    const config = loadConfig({
      ...base,
      PLAYLIST_TOKENS: 'edge-verified',
      SIGNED_URL_BASE: 'https://d111.cloudfront.net',
    });
    // Assess
    expect(config.signedRequests).toBeUndefined();
    expect(config.playlistTokens).toEqual({ verifiedBy: 'edge', baseUrls: ['https://d111.cloudfront.net'] });
  });

  test('off: never, even when the function verifies', () => {
    // Act
    const config = loadConfig({ ...base, ...verifying, PLAYLIST_TOKENS: 'off' });
    // Assess
    expect(config.signedRequests).toBeDefined();
    expect(config.playlistTokens).toBeUndefined();
  });

  test.each<[string, Record<string, string>, RegExp]>([
    ['a typo', { PLAYLIST_TOKENS: 'edge' }, /PLAYLIST_TOKENS must be one of verified, edge-verified, off, got "edge"/],
    [
      'verified without the function verifying',
      { PLAYLIST_TOKENS: 'verified' },
      /PLAYLIST_TOKENS=verified needs REQUIRE_SIGNED_REQUESTS=true/,
    ],
    [
      'edge-verified while the function verifies',
      { ...verifying, PLAYLIST_TOKENS: 'edge-verified' },
      /PLAYLIST_TOKENS=edge-verified contradicts REQUIRE_SIGNED_REQUESTS=true/,
    ],
  ])('refuses %s', (_name, env, message) => {
    // Act
    const act = () => loadConfig({ ...base, ...env });
    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(message);
  });
});

describe('CORS credentials', () => {
  test('with explicit origins', () => {
    expect(
      loadConfig({ ...base, CORS_ALLOWED_ORIGINS: 'https://player.example', CORS_ALLOW_CREDENTIALS: 'true' }).cors,
    ).toEqual({ allowedOrigins: ['https://player.example'], allowCredentials: true });
  });

  test.each<[string, Record<string, string>, RegExp]>([
    ['with "*"', { CORS_ALLOWED_ORIGINS: '*', CORS_ALLOW_CREDENTIALS: 'true' }, /explicit origins .* not "\*"/],
    ['without CORS', { CORS_ALLOW_CREDENTIALS: 'true' }, /needs CORS_ALLOWED_ORIGINS/],
    [
      'a typo',
      { CORS_ALLOWED_ORIGINS: 'https://a.example', CORS_ALLOW_CREDENTIALS: '1' },
      /CORS_ALLOW_CREDENTIALS must be/,
    ],
  ])('refuses credentials %s', (_name, env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });
});
