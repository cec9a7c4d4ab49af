/**
 * Private HLS generated from DASH, on signed URLs alone (no cookies): with REQUIRE_SIGNED_REQUESTS on, a
 * multivariant playlist requested with a CloudFront signed URL whose custom policy covers the rendition's folder
 * (`Resource: <base>dash/on-demand/*`) comes back with every URI inside carrying the same Policy, Signature and
 * Key-Pair-Id (so the player's follow-up requests are signed too) and `Cache-Control: private, no-store` (the
 * playlist embeds a token: no shared cache may keep it). hls.js in Chromium, with credentials off (its default:
 * no cookies, no credentialed CORS), plays and seeks from that one URL; the same URLs without the token get 403.
 *
 * Control: the same streams packaged offline (media/hls-control/) straight from the S3-compatible
 * server by presigned URLs, in the same test.
 * CloudFront's signed URL format: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-creating-signed-url-custom-policy.html
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getSignedUrl } from '@aws-sdk/cloudfront-signer';
import type { Browser } from 'playwright-core';
import { requireTools } from '../support/require-tools.ts';
import { customPolicy } from '../support/signing-keys.ts';
import { CHROMIUM } from '../support/tools/requirements.ts';
import { launchChromium, newUncachedPage, playwrightDriver } from './support/chromium.ts';
import {
  CONTROL_DIR,
  expectGeneratedAndExact,
  fetchPlaylistTree,
  generatedKey,
  type HlsPlay,
  namedUris,
  playHls,
} from './support/hls-from-dash.ts';
import { expectPlayedAndSeeked } from './support/page-driver.ts';
import { type PageServer, startPageServer } from './support/page-server.ts';
import { renditionKeys } from './support/paths.ts';
import { presignedRewrite, s3DirectUrl } from './support/s3-direct.ts';
import { type LocalStack, objectUrl, startE2eStack } from './support/stack.ts';

const { test } = requireTools(CHROMIUM);

const keyDir = mkdtempSync(join(tmpdir(), 'media-origin-signing-'));
const TOKEN_PARAMS = ['Policy', 'Signature', 'Key-Pair-Id'] as const;
let pages: PageServer;
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  pages = await startPageServer();
  // Signed requests required; CORS for the player page, WITHOUT credentials: the token travels in the URLs.
  stack = await startE2eStack({
    signingKeyDir: keyDir,
    functionEnv: {
      CORS_ALLOWED_ORIGINS: pages.origin,
      CORS_ALLOW_CREDENTIALS: 'false',
      PLAIN_GET_REDIRECT_MIN_BYTES: String(64 * 1024),
    },
  });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await pages?.close();
  rmSync(keyDir, { recursive: true, force: true });
});

/** A CloudFront custom-policy signed URL for `key`, valid 10 minutes for every key under `folder`. */
function signedUrl(key: string, folder: string): string {
  const signing = stack.signing;
  if (signing === undefined) throw new Error('the stack was started without a signing key');
  const policy = customPolicy({
    resource: `${objectUrl(stack, folder)}*`,
    dateLessThan: Math.floor(Date.now() / 1000) + 600,
  });
  return getSignedUrl({
    url: objectUrl(stack, key),
    policy,
    keyPairId: signing.keyPairId,
    privateKey: signing.privateKey,
  });
}

function tokenOf(url: string): Record<string, string | null> {
  const params = new URL(url).searchParams;
  return Object.fromEntries(TOKEN_PARAMS.map((name) => [name, params.get(name)]));
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return parsed.origin + parsed.pathname;
}

async function play(src: string, rewrite?: Readonly<Record<string, string>>): Promise<HlsPlay> {
  const page = await newUncachedPage(browser);
  try {
    await page.goto(pages.url);
    return await playHls(playwrightDriver(page), 'hlsjs', src, rewrite);
  } finally {
    await page.close();
  }
}

test('a signed playlist URL plays privately in hls.js without cookies; without its token, playlist and segment get 403', async () => {
  // Prepare
  const folder = 'dash/on-demand/';
  const url = signedUrl(generatedKey('on-demand'), folder);
  const token = tokenOf(url);
  expect(Object.values(token).every((value) => value !== null && value !== '')).toBe(true);
  const rewrite = await presignedRewrite(stack, renditionKeys(CONTROL_DIR));

  // Act
  const control = await play(await s3DirectUrl(stack, `${CONTROL_DIR}/master.m3u8`), rewrite);
  const viaOrigin = await play(url);
  const tree = await fetchPlaylistTree(url);
  const mediaPlaylist = tree.find((playlist) => /^#EXTINF:/m.test(playlist.text));
  const segmentUri = namedUris(mediaPlaylist?.text ?? '').at(-1);
  const segmentUrl = new URL(segmentUri ?? '', mediaPlaylist?.url ?? url).href;
  const unsigned = {
    playlist: (await fetch(withoutQuery(url))).status,
    segment: (await fetch(withoutQuery(segmentUrl), { headers: { Range: 'bytes=0-99' } })).status,
  };
  const signedSegment = (await fetch(segmentUrl, { headers: { Range: 'bytes=0-99' } })).status;

  // Assess: both played and seeked without an hls.js error (self-aborts aside).
  for (const played of [control, viaOrigin]) {
    expectPlayedAndSeeked(played);
    expect(played.errors).toEqual([]);
  }
  expect(Math.abs(viaOrigin.started.duration - control.started.duration)).toBeLessThan(0.1);
  // Assess: every request hls.js made carried the playlist's token, and was answered exactly.
  for (const request of viaOrigin.requests) {
    expect({ url: request.url, token: tokenOf(request.url) }).toEqual({ url: request.url, token });
  }
  const summary = expectGeneratedAndExact(viaOrigin.requests, stack.url);
  expect(summary.ranges.length).toBeGreaterThanOrEqual(3);
  // Assess: every playlist is private and not storable, and every URI in it carries the same token.
  expect(tree.length).toBeGreaterThan(1);
  for (const playlist of tree) {
    expect({ url: playlist.url, status: playlist.status }).toEqual({ url: playlist.url, status: 200 });
    const directives = (playlist.cacheControl ?? '').split(',').map((directive) => directive.trim().toLowerCase());
    expect(directives).toEqual(expect.arrayContaining(['private', 'no-store']));
    for (const uri of namedUris(playlist.text)) {
      expect({ uri, token: tokenOf(new URL(uri, playlist.url).href) }).toEqual({ uri, token });
    }
  }
  // Assess: the token is what admits: the signed segment is answered, the same URLs without it are refused.
  expect(segmentUri).toBeDefined();
  expect(signedSegment).toBe(206);
  expect(unsigned).toEqual({ playlist: 403, segment: 403 });
}, 120_000);
