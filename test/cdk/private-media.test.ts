/**
 * Private media, synthesized from CDK context as `cdk deploy -c ...` passes it: CloudFront PublicKeys and a
 * KeyGroup trusted by the media behaviour; signatures never in the media cache key; the function enforcing the
 * same keys only when its URL is public (then the signing parameters are forwarded to it); a `*.m3u8` behaviour
 * whose cache key holds the signatures and whose MinTTL is 0, with the function handing playlist tokens on in
 * both topologies; CORS credentials.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { PLAYLIST_PATH_PATTERN, SIGNING_COOKIES, SIGNING_QUERY_STRINGS } from '../../lib/media-cdn.ts';
import { logicalId, removeAssemblies, synthesize } from './support/synth.ts';
import { one, type Props, propsOf } from './support/template-props.ts';

const dir = mkdtempSync(join(tmpdir(), 'media-origin-keys-'));
afterAll(() => {
  removeAssemblies();
  rmSync(dir, { recursive: true, force: true });
});

function pemFile(name: string, options: { modulusLength?: number; private?: boolean } = {}): string {
  const pair = generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 });
  const pem = options.private
    ? pair.privateKey.export({ type: 'pkcs8', format: 'pem' })
    : pair.publicKey.export({ type: 'spki', format: 'pem' });
  const path = join(dir, `${name}.pem`);
  writeFileSync(path, pem);
  return path;
}

const current = pemFile('current');
const next = pemFile('next');

type Synthesized = ReturnType<typeof synthesize>['template'];

function distributionConfig(template: Synthesized): Props {
  return one(template, 'AWS::CloudFront::Distribution').DistributionConfig as Props;
}
/** The cache behaviours besides the default one (none without private media). */
function extraBehaviours(template: Synthesized): Props[] {
  return (distributionConfig(template).CacheBehaviors as Props[] | undefined) ?? [];
}
/** The CachePolicyConfig a behaviour refers to (by its `Ref`). */
function cachePolicyOf(template: Synthesized, behaviour: Props): Props {
  const id = (behaviour.CachePolicyId as { Ref: string }).Ref;
  const policy = template.findResources('AWS::CloudFront::CachePolicy')[id];
  if (policy === undefined) throw new Error(`no cache policy ${id}`);
  return (policy.Properties as Props).CachePolicyConfig as Props;
}
/** The media (default) behaviour's cache key and the origin request's query/cookie settings. */
function policies(template: Synthesized): { cache: Props; origin: Props } {
  const media = distributionConfig(template).DefaultCacheBehavior as Props;
  const cache = cachePolicyOf(template, media).ParametersInCacheKeyAndForwardedToOrigin as Props;
  const origin = one(template, 'AWS::CloudFront::OriginRequestPolicy').OriginRequestPolicyConfig as Props;
  return { cache, origin };
}
/** The `*.m3u8` behaviour, which must be the only extra one. */
function playlistBehaviour(template: Synthesized): Props {
  const [only, ...others] = extraBehaviours(template);
  if (only === undefined || others.length > 0) throw new Error('expected exactly one extra behaviour');
  return only;
}
function environmentOf(template: Synthesized): Props {
  const fn = propsOf(template, 'AWS::Lambda::Function').find(
    (props) => (props.Environment as Props | undefined)?.Variables !== undefined,
  );
  return ((fn?.Environment as Props | undefined)?.Variables ?? {}) as Props;
}

describe('signingPublicKeys behind OAC (the default)', () => {
  const { stack, template } = synthesize({ signingPublicKeys: `current=${current},next=${next}` });
  const keys = stack.origin.signingKeys;

  test('one PublicKey per key and a KeyGroup holding both (rotation)', () => {
    // Act
    const publicKeys = propsOf(template, 'AWS::CloudFront::PublicKey');
    const group = one(template, 'AWS::CloudFront::KeyGroup');
    // Assess
    expect(publicKeys).toHaveLength(2);
    for (const key of publicKeys) {
      expect((key.PublicKeyConfig as Props).EncodedKey).toMatch(
        /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/,
      );
    }
    expect((group.KeyGroupConfig as Props).Items).toEqual(
      (keys?.publicKeys ?? []).map((key) => ({ Ref: logicalId(key) })),
    );
  });

  test('the media behaviour trusts the key group', () => {
    // Act
    const distribution = one(template, 'AWS::CloudFront::Distribution');
    const behaviour = (distribution.DistributionConfig as Props).DefaultCacheBehavior as Props;
    // Assess
    expect(keys).toBeDefined();
    expect(behaviour.TrustedKeyGroups).toEqual([{ Ref: logicalId(keys?.keyGroup ?? stack) }]);
  });

  test('signatures are neither in the cache key nor forwarded', () => {
    // Act
    const { cache, origin } = policies(template);
    // Assess
    expect(cache.QueryStringsConfig).toEqual({ QueryStringBehavior: 'whitelist', QueryStrings: ['download'] });
    expect(cache.CookiesConfig).toEqual({ CookieBehavior: 'none' });
    expect(origin.QueryStringsConfig).toEqual({ QueryStringBehavior: 'whitelist', QueryStrings: ['download'] });
    expect(origin.CookiesConfig).toEqual({ CookieBehavior: 'none' });
  });

  test('the function does not verify behind OAC (CloudFront did)', () => {
    // Act
    const env = environmentOf(template);
    // Assess
    expect(env).toMatchObject({ REQUIRE_SIGNED_REQUESTS: 'false', SIGNING_PUBLIC_KEYS: '' });
  });

  test('but it hands edge-verified playlist tokens on', () => {
    // Act
    const env = environmentOf(template);
    // Assess
    expect(env.PLAYLIST_TOKENS).toBe('edge-verified');
  });

  test('playlists: a *.m3u8 behaviour like the media one, its cache key holding the signatures', () => {
    // Act
    const media = distributionConfig(template).DefaultCacheBehavior as Props;
    const playlists = playlistBehaviour(template);
    const cache = cachePolicyOf(template, playlists);
    // Assess
    expect(playlists.PathPattern).toBe(PLAYLIST_PATH_PATTERN);
    expect(playlists.CachePolicyId).not.toEqual(media.CachePolicyId);
    const { PathPattern: _path, CachePolicyId: _playlistPolicy, ...shared } = playlists;
    const { CachePolicyId: _mediaPolicy, ...mediaShared } = media;
    expect(shared).toEqual(mediaShared);
    expect(cache.MinTTL).toBe(0);
    expect((cache.ParametersInCacheKeyAndForwardedToOrigin as Props).QueryStringsConfig).toEqual({
      QueryStringBehavior: 'whitelist',
      QueryStrings: ['download', ...SIGNING_QUERY_STRINGS],
    });
    expect((cache.ParametersInCacheKeyAndForwardedToOrigin as Props).CookiesConfig).toEqual({ CookieBehavior: 'none' });
  });

  test('the playlist MinTTL stays 0 when the media MinTTL is raised; the other TTLs follow the media', () => {
    // Act
    const raised = synthesize({ signingPublicKeys: `current=${current}`, cacheMinTtlSeconds: '60' }).template;
    const media = cachePolicyOf(raised, distributionConfig(raised).DefaultCacheBehavior as Props);
    const playlists = cachePolicyOf(raised, playlistBehaviour(raised));
    // Assess
    expect(media.MinTTL).toBe(60);
    expect(playlists.MinTTL).toBe(0);
    expect([playlists.DefaultTTL, playlists.MaxTTL]).toEqual([media.DefaultTTL, media.MaxTTL]);
  });

  test('without a public base URL, synthesis warns that playlist tokens need one', () => {
    // Act / Assess
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('Signed playlists.*signedUrlBase'));
  });

  test('the key ids are a stack output', () => {
    template.hasOutput('SigningKeyIds', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });
});

describe('signingPublicKeys with publicUrl=true', () => {
  const { stack, template } = synthesize({
    signingPublicKeys: `current=${current}`,
    publicUrl: 'true',
    signedUrlBase: 'https://d111111abcdef8.cloudfront.net',
    domainNames: 'media.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234',
  });

  test('the function enforces the same key, by CloudFront key id (the PublicKey Ref)', () => {
    // Act
    const env = environmentOf(template);
    const [publicKey] = stack.origin.signingKeys?.publicKeys ?? [];
    // Assess
    expect(env.REQUIRE_SIGNED_REQUESTS).toBe('true');
    expect(env.PLAYLIST_TOKENS).toBe('verified');
    expect(env.SIGNED_URL_BASE).toBe('https://media.example.com,https://d111111abcdef8.cloudfront.net');
    const joined = JSON.stringify(env.SIGNING_PUBLIC_KEYS);
    expect(joined).toContain(JSON.stringify({ Ref: logicalId(publicKey ?? stack) }));
    expect(joined).toContain('BEGIN PUBLIC KEY');
  });

  test('signatures reach the function through the origin request policy, still not the cache key', () => {
    // Act
    const { cache, origin } = policies(template);
    // Assess
    expect(cache.QueryStringsConfig).toEqual({ QueryStringBehavior: 'whitelist', QueryStrings: ['download'] });
    expect(cache.CookiesConfig).toEqual({ CookieBehavior: 'none' });
    expect(origin.QueryStringsConfig).toEqual({
      QueryStringBehavior: 'whitelist',
      QueryStrings: ['download', ...SIGNING_QUERY_STRINGS],
    });
    expect(origin.CookiesConfig).toEqual({ CookieBehavior: 'whitelist', Cookies: [...SIGNING_COOKIES] });
  });

  test('playlists: the *.m3u8 behaviour keys on the signatures; cookies reach the function as for media', () => {
    // Act
    const playlists = playlistBehaviour(template);
    const cache = cachePolicyOf(template, playlists).ParametersInCacheKeyAndForwardedToOrigin as Props;
    const media = distributionConfig(template).DefaultCacheBehavior as Props;
    // Assess
    expect(cache.QueryStringsConfig).toEqual({
      QueryStringBehavior: 'whitelist',
      QueryStrings: ['download', ...SIGNING_QUERY_STRINGS],
    });
    expect(playlists.OriginRequestPolicyId).toEqual(media.OriginRequestPolicyId);
    expect(playlists.TrustedKeyGroups).toEqual(media.TrustedKeyGroups);
  });

  test('without a public base URL, synthesis warns', () => {
    // Act
    const bare = synthesize({ signingPublicKeys: `current=${current}`, publicUrl: 'true' });
    // Assess
    Annotations.fromStack(bare.stack).hasWarning('*', Match.stringLikeRegexp('signedUrlBase'));
  });
});

describe('CORS credentials', () => {
  const { template } = synthesize({
    signingPublicKeys: `current=${current}`,
    corsAllowedOrigins: 'https://player.example',
    corsAllowCredentials: 'true',
  });

  test('the function answers credentials to the explicit origin', () => {
    expect(environmentOf(template)).toMatchObject({
      CORS_ALLOWED_ORIGINS: 'https://player.example',
      CORS_ALLOW_CREDENTIALS: 'true',
    });
  });

  test('CloudFront adds the same CORS to its own answers (edge 403), never over the function’s', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        CorsConfig: Match.objectLike({
          AccessControlAllowCredentials: true,
          AccessControlAllowOrigins: { Items: ['https://player.example'] },
          OriginOverride: false,
        }),
      },
    });
  });

  test('both cache keys (media and playlists) still key on Origin', () => {
    // Act
    const behaviours = [distributionConfig(template).DefaultCacheBehavior as Props, playlistBehaviour(template)];
    const headers = behaviours.map((behaviour) => {
      const key = cachePolicyOf(template, behaviour).ParametersInCacheKeyAndForwardedToOrigin as Props;
      return (key.HeadersConfig as Props).Headers;
    });
    // Assess
    for (const keyed of headers) expect(keyed).toContain('Origin');
  });
});

describe('without private media', () => {
  test.each<[string, Record<string, string>]>([
    ['behind OAC', {}],
    ['on a public URL (nothing verifies: a token must never be handed on)', { publicUrl: 'true' }],
  ])('%s: no playlist behaviour and PLAYLIST_TOKENS=off', (_name, context) => {
    // Act
    const { template } = synthesize(context);
    // Assess
    expect(extraBehaviours(template)).toEqual([]);
    expect(Object.keys(template.findResources('AWS::CloudFront::CachePolicy'))).toHaveLength(1);
    expect(environmentOf(template).PLAYLIST_TOKENS).toBe('off');
  });
});

describe('refused at synth', () => {
  test.each<[string, Record<string, string>, RegExp]>([
    [
      'credentials with "*"',
      { corsAllowedOrigins: '*', corsAllowCredentials: 'true' },
      /corsAllowCredentials.*explicit corsAllowedOrigins/,
    ],
    ['credentials without CORS', { corsAllowCredentials: 'true' }, /corsAllowCredentials/],
    ['a private key', { signingPublicKeys: `k=${pemFile('private', { private: true })}` }, /private key/],
    ['a 1024-bit key', { signingPublicKeys: `k=${pemFile('small', { modulusLength: 1024 })}` }, /RSA 2048/],
    ['a missing file', { signingPublicKeys: `k=${join(dir, 'absent.pem')}` }, /readable PEM file/],
    [
      'not a PEM',
      { signingPublicKeys: 'k=-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' },
      /PEM public key/,
    ],
    ['no name', { signingPublicKeys: current }, /name=path/],
    ['a bad name', { signingPublicKeys: `a b=${current}` }, /key names/],
    [
      'six keys',
      { signingPublicKeys: [1, 2, 3, 4, 5, 6].map((n) => `k${n}=${current}`).join(',') },
      /1 to 5 named public keys/,
    ],
    ['a base URL with a path', { signedUrlBase: 'https://d.example/x' }, /signedUrlBase/],
  ])('%s', (_name, context, message) => {
    expect(() => synthesize(context)).toThrow(message);
  });
});
