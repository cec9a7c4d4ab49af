/**
 * The verifier against tokens minted by @aws-sdk/cloudfront-signer (the oracle), and against every way a token
 * can be wrong: flipped bytes, wrong key, time window, IP, resource, malformed parts.
 */
import fc from 'fast-check';
import { encodeCloudFrontBase64 } from '../../../lambda/signed-requests/cloudfront-base64.ts';
import { extractSignedToken, type SignedToken } from '../../../lambda/signed-requests/extract-signed-token.ts';
import {
  NOT_BEFORE_SKEW_SECONDS,
  type VerifyInput,
  verifySignedToken,
} from '../../../lambda/signed-requests/verify-signed-token.ts';
import { viewerUrls } from '../../../lambda/signed-requests/viewer-urls.ts';
import {
  cannedCookies,
  cannedUrl,
  customCookies,
  customPolicy,
  customUrl,
  keysOf,
  rawPathOf,
  rawQueryOf,
  testKeyPair,
} from '../../support/signing-keys.ts';

const pair = testKeyPair('K2JCJMDEHXQW5F');
const other = testKeyPair('KOTHER');
const keys = keysOf(pair);
const NOW = 1_800_000_000_000;
const now = NOW / 1000;
const HOST = 'abc.lambda-url.us-east-1.on.aws';
const BASE = `https://${HOST}`;

/** What the function does with a request for `signedUrl` (the URL the viewer followed). */
function verifyUrl(signedUrl: string, overrides: Partial<VerifyInput> = {}, cookies: string[] = []) {
  const extraction = extractSignedToken(rawQueryOf(signedUrl), cookies);
  if (extraction.kind !== 'token') return { ok: false as const, reason: extraction.kind };
  return verifySignedToken({
    token: extraction.token,
    viewerUrls: viewerUrls({ host: new URL(signedUrl).host }, rawPathOf(signedUrl), extraction.query, []),
    sourceIp: '192.0.2.10',
    nowMs: NOW,
    keys,
    ...overrides,
  });
}

function verifyCookies(url: string, cookies: string[], overrides: Partial<VerifyInput> = {}) {
  return verifyUrl(url, overrides, cookies);
}

function tokenOf(signedUrl: string): SignedToken {
  const extraction = extractSignedToken(rawQueryOf(signedUrl), []);
  if (extraction.kind !== 'token') throw new Error('fixture is not a signed URL');
  return extraction.token;
}

describe('accepts what @aws-sdk/cloudfront-signer mints', () => {
  test.each<[string, string]>([
    ['canned URL', cannedUrl(pair, `${BASE}/clip.mp4`, now + 60)],
    ['canned URL with another query parameter', cannedUrl(pair, `${BASE}/clip.mp4?download=my%20clip.mp4`, now + 60)],
    ['canned URL, SHA-256', cannedUrl(pair, `${BASE}/clip.mp4`, now + 60, 'SHA256')],
    ['canned URL, encoded path', cannedUrl(pair, `${BASE}/dir/a b+c.mp4`, now + 60)],
    [
      'custom URL with every condition',
      customUrl(
        pair,
        `${BASE}/clip.mp4`,
        customPolicy({
          resource: `${BASE}/clip.mp4`,
          dateLessThan: now + 60,
          dateGreaterThan: now - 60,
          sourceIp: '192.0.2.0/24',
        }),
      ),
    ],
    [
      'custom URL, wildcard',
      customUrl(pair, `${BASE}/hls/x/seg1.ts`, customPolicy({ resource: `${BASE}/hls/*`, dateLessThan: now + 60 })),
    ],
    [
      'custom URL, SHA-256',
      customUrl(pair, `${BASE}/a.mp4`, customPolicy({ resource: `${BASE}/a.mp4`, dateLessThan: now + 1 }), 'SHA256'),
    ],
    ['custom URL, no Resource', customUrl(pair, `${BASE}/a.mp4`, customPolicy({ dateLessThan: now + 1 }))],
  ])('%s', (_name, url) => {
    // Act / Assess
    expect(verifyUrl(url)).toEqual({ ok: true });
  });

  test('custom cookies for a prefix admit the playlist and every segment', () => {
    // Prepare
    const cookies = customCookies(pair, customPolicy({ resource: `${BASE}/hls/*`, dateLessThan: now + 60 }));
    // Act / Assess
    for (const path of ['/hls/index.m3u8', '/hls/720p/seg-00001.ts', '/hls/720p/seg-00002.ts?x=1']) {
      expect(verifyCookies(`${BASE}${path}`, cookies)).toEqual({ ok: true });
    }
    expect(verifyCookies(`${BASE}/other/index.m3u8`, cookies)).toEqual({ ok: false, reason: 'resource-mismatch' });
  });

  test('canned cookies for one URL', () => {
    // Prepare
    const cookies = cannedCookies(pair, `${BASE}/clip.mp4`, now + 60);
    // Act / Assess
    expect(verifyCookies(`${BASE}/clip.mp4`, cookies)).toEqual({ ok: true });
    expect(verifyCookies(`${BASE}/clip2.mp4`, cookies)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  test('two trusted keys (rotation): tokens from either verify', () => {
    // Prepare
    const both = keysOf(pair, other);
    // Act / Assess
    expect(verifyUrl(cannedUrl(pair, `${BASE}/a.mp4`, now + 5), { keys: both })).toEqual({ ok: true });
    expect(verifyUrl(cannedUrl(other, `${BASE}/a.mp4`, now + 5), { keys: both })).toEqual({ ok: true });
  });

  test('a configured public base URL (the CloudFront domain) is a candidate too', () => {
    // Prepare
    const url = cannedUrl(pair, 'https://d111.cloudfront.net/a.mp4', now + 5);
    const token = tokenOf(url);
    // Act
    const verdict = verifySignedToken({
      token,
      viewerUrls: viewerUrls({ host: HOST }, '/a.mp4', '', ['https://d111.cloudfront.net']),
      sourceIp: '192.0.2.1',
      nowMs: NOW,
      keys,
    });
    // Assess
    expect(verdict).toEqual({ ok: true });
  });
});

describe('refusals', () => {
  test.each<[string, () => ReturnType<typeof verifyUrl>, string]>([
    ['canned, expired by 1 s', () => verifyUrl(cannedUrl(pair, `${BASE}/a.mp4`, now - 1)), 'expired'],
    ['canned, expiring this very second', () => verifyUrl(cannedUrl(pair, `${BASE}/a.mp4`, now)), 'expired'],
    [
      'custom, expired by 1 s',
      () =>
        verifyUrl(customUrl(pair, `${BASE}/a.mp4`, customPolicy({ resource: `${BASE}/a.mp4`, dateLessThan: now - 1 }))),
      'expired',
    ],
    [
      'custom, not yet valid (beyond the skew)',
      () =>
        verifyUrl(
          customUrl(
            pair,
            `${BASE}/a.mp4`,
            customPolicy({ dateLessThan: now + 600, dateGreaterThan: now + NOT_BEFORE_SKEW_SECONDS + 1 }),
          ),
        ),
      'not-yet-valid',
    ],
    [
      'custom, IP outside the CIDR',
      () =>
        verifyUrl(
          customUrl(pair, `${BASE}/a.mp4`, customPolicy({ dateLessThan: now + 60, sourceIp: '198.51.100.0/24' })),
        ),
      'ip-mismatch',
    ],
    [
      'custom, IPv6 block, IPv4 viewer',
      () =>
        verifyUrl(
          customUrl(pair, `${BASE}/a.mp4`, customPolicy({ dateLessThan: now + 60, sourceIp: '2001:db8::/32' })),
        ),
      'ip-mismatch',
    ],
    [
      'custom, another resource',
      () =>
        verifyUrl(
          customUrl(pair, `${BASE}/b.mp4`, customPolicy({ resource: `${BASE}/a.mp4`, dateLessThan: now + 60 })),
        ),
      'resource-mismatch',
    ],
    [
      'custom, another host',
      () =>
        verifyUrl(
          customUrl(
            pair,
            `${BASE}/a.mp4`,
            customPolicy({ resource: 'https://other.example/a.mp4', dateLessThan: now + 60 }),
          ),
        ),
      'resource-mismatch',
    ],
    [
      'custom, wildcard edge: prefix without its slash',
      () =>
        verifyUrl(
          customUrl(pair, `${BASE}/hlsx/a.ts`, customPolicy({ resource: `${BASE}/hls/*`, dateLessThan: now + 60 })),
        ),
      'resource-mismatch',
    ],
    [
      'custom, ? needs exactly one character',
      () =>
        verifyUrl(
          customUrl(pair, `${BASE}/a10.ts`, customPolicy({ resource: `${BASE}/a?.ts`, dateLessThan: now + 60 })),
        ),
      'resource-mismatch',
    ],
    [
      'canned, another path',
      () => verifyUrl(cannedUrl(pair, `${BASE}/a.mp4`, now + 60).replace('/a.mp4', '/b.mp4')),
      'bad-signature',
    ],
    [
      'canned, another host',
      () => verifyUrl(cannedUrl(pair, `${BASE}/a.mp4`, now + 60).replace(HOST, 'other.example')),
      'bad-signature',
    ],
    [
      'canned, Expires moved later',
      () =>
        verifyUrl(cannedUrl(pair, `${BASE}/a.mp4`, now + 60).replace(`Expires=${now + 60}`, `Expires=${now + 6000}`)),
      'bad-signature',
    ],
    [
      'canned, query parameter added after signing',
      () => verifyUrl(`${cannedUrl(pair, `${BASE}/a.mp4`, now + 60)}&download=x.mp4`),
      'bad-signature',
    ],
    ['unknown key id', () => verifyUrl(cannedUrl(other, `${BASE}/a.mp4`, now + 60)), 'unknown-key'],
    [
      'right key id, signed by another key',
      () => verifyUrl(cannedUrl({ ...other, keyPairId: pair.keyPairId }, `${BASE}/a.mp4`, now + 60)),
      'bad-signature',
    ],
    [
      'SHA-1 signature presented as SHA-256',
      () => verifyUrl(`${cannedUrl(pair, `${BASE}/a.mp4`, now + 60)}&Hash-Algorithm=SHA256`),
      'bad-signature',
    ],
    [
      'malformed signature base64',
      () => verifyUrl(`${BASE}/a.mp4?Expires=${now + 60}&Signature=abc&Key-Pair-Id=${pair.keyPairId}`),
      'malformed-token',
    ],
    [
      'malformed Expires',
      () => verifyUrl(`${BASE}/a.mp4?Expires=soon&Signature=YWJj&Key-Pair-Id=${pair.keyPairId}`),
      'malformed-token',
    ],
    [
      'malformed key id',
      () => verifyUrl(`${BASE}/a.mp4?Expires=1&Signature=YWJj&Key-Pair-Id=a%20b`),
      'malformed-token',
    ],
    [
      'oversized signature',
      () => verifyUrl(`${BASE}/a.mp4?Expires=1&Signature=${'A'.repeat(2048)}&Key-Pair-Id=K1`),
      'malformed-token',
    ],
    [
      'malformed policy base64',
      () => verifyUrl(`${BASE}/a.mp4?Policy=e%2Bx&Signature=YWJj&Key-Pair-Id=${pair.keyPairId}`),
      'malformed-policy',
    ],
    [
      'oversized policy',
      () =>
        verifyUrl(
          `${BASE}/a.mp4?Policy=${encodeCloudFrontBase64('x'.repeat(9000))}&Signature=YWJj&Key-Pair-Id=${pair.keyPairId}`,
        ),
      'malformed-policy',
    ],
    [
      'validly signed policy that is not JSON',
      () => verifyUrl(customUrl(pair, `${BASE}/a.mp4`, '{"Statement":[')),
      'malformed-policy',
    ],
    [
      'validly signed policy with an unknown condition',
      () =>
        verifyUrl(
          customUrl(
            pair,
            `${BASE}/a.mp4`,
            JSON.stringify({ Statement: [{ Condition: { DateLessThan: { 'AWS:EpochTime': now + 60 }, Foo: {} } }] }),
          ),
        ),
      'malformed-policy',
    ],
  ])('%s -> %s', (_name, run, reason) => {
    // Act / Assess
    expect(run()).toEqual({ ok: false, reason });
  });

  test('not-yet-valid within the skew is admitted', () => {
    // Prepare
    const url = customUrl(pair, `${BASE}/a.mp4`, customPolicy({ dateLessThan: now + 600, dateGreaterThan: now + 5 }));
    // Act / Assess
    expect(verifyUrl(url)).toEqual({ ok: true });
  });

  test('IPv6 viewer inside an IPv6 block is admitted', () => {
    // Prepare
    const url = customUrl(pair, `${BASE}/a.mp4`, customPolicy({ dateLessThan: now + 60, sourceIp: '2001:db8::/32' }));
    // Act / Assess
    expect(verifyUrl(url, { sourceIp: '2001:db8:1::5' })).toEqual({ ok: true });
  });
});

describe('properties', () => {
  const canned = tokenOf(cannedUrl(pair, `${BASE}/a.mp4`, now + 60));
  const policy = customPolicy({ resource: `${BASE}/*`, dateLessThan: now + 60 });
  const custom = tokenOf(customUrl(pair, `${BASE}/a.mp4`, policy));
  const input = (token: SignedToken): VerifyInput => ({
    token,
    viewerUrls: [`${BASE}/a.mp4`],
    sourceIp: '192.0.2.1',
    nowMs: NOW,
    keys,
  });

  test('the untouched tokens verify (control)', () => {
    expect(verifySignedToken(input(canned))).toEqual({ ok: true });
    expect(verifySignedToken(input(custom))).toEqual({ ok: true });
  });

  test('a flipped bit anywhere in the signature is refused', () => {
    const signature = Buffer.from(
      canned.signature.replace(/[-_~]/g, (c) => ({ '-': '+', _: '=', '~': '/' })[c] ?? c),
      'base64',
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: signature.length * 8 - 1 }), (bit) => {
        const flipped = Buffer.from(signature);
        flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        for (const token of [canned, custom]) {
          const verdict = verifySignedToken(input({ ...token, signature: encodeCloudFrontBase64(flipped) }));
          expect(verdict.ok).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('a flipped bit anywhere in the policy is refused', () => {
    const document = Buffer.from(policy, 'utf8');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: document.length * 8 - 1 }), (bit) => {
        const flipped = Buffer.from(document);
        flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        const verdict = verifySignedToken(input({ ...custom, policy: encodeCloudFrontBase64(flipped) }));
        expect(verdict).toEqual({ ok: false, reason: 'bad-signature' });
      }),
      { numRuns: 300 },
    );
  });

  test('any other character replaced in the encoded signature or policy is refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'signature' | 'policy'>('signature', 'policy'),
        fc.nat(),
        fc.constantFrom(...'ABCxyz019-_~+/=%. '.split('')),
        (field, position, replacement) => {
          const original = custom[field] ?? '';
          const index = position % original.length;
          fc.pre(original[index] !== replacement);
          const mangled = original.slice(0, index) + replacement + original.slice(index + 1);
          expect(verifySignedToken(input({ ...custom, [field]: mangled })).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('canned tokens verify only until their expiry, custom ones only inside their window', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (offsetMs) => {
        const at = (now + 60) * 1000 + offsetMs;
        expect(verifySignedToken({ ...input(canned), nowMs: at }).ok).toBe(offsetMs < 0);
      }),
    );
  });
});
