/**
 * DASH in the player matrix: dash.js and Shaka Player, in Chromium and Firefox, from a page on
 * another origin, play both DASH renditions of media/dash/ through the origin and seek to 50% and 85% of the
 * duration (each seek lands within 1.5 s and playback moves on):
 * - on-demand: SegmentBase, ONE fMP4 per representation read by byte ranges (Initialization, the `sidx` at
 *   indexRange, then the fragments the sidx points at): every range must be answered 206 with exactly those
 *   bytes (RFC 9110 section 14.4; ISO/IEC 23009-1 5.3.9.2);
 * - template: SegmentTemplate + SegmentTimeline, init sections and segments fetched whole.
 * Types: application/dash+xml for the MPD, video/mp4 for init sections and the on-demand files,
 * video/iso.segment for .m4s segments.
 * Control: the same rendition straight from the S3-compatible server in the same run; the manifest's relative
 * URLs lose the presigned query, so the player's own request hook (Shaka's request filter, dash.js's request
 * interceptor) swaps each URL for its presigned S3 URL, as a site serving private DASH from S3 would.
 */
import { requireTools } from '../support/require-tools.ts';
import { CHROMIUM, FIREFOX } from '../support/tools/requirements.ts';
import { type BrowserName, browserMatrixForSuite } from './support/browser-matrix.ts';
import { DASH_TYPES, type DashEngine, type DashPlay, playDash } from './support/dash.ts';
import { expectExactAnswers, type RangeSummary } from './support/exact-answers.ts';
import { expectPlayedAndSeeked } from './support/page-driver.ts';
import { renditionKeys } from './support/paths.ts';
import { bucketBaseUrl, presignedRewrite, s3DirectUrl } from './support/s3-direct.ts';
import { objectUrl } from './support/stack.ts';

// Skipped (or failed with CI=true) when a tool is missing: see test/support/require-tools.ts.
const { test } = requireTools(CHROMIUM, FIREFOX);

const suite = browserMatrixForSuite();

/** One fresh page per play: the recorder starts empty and no player state carries over. */
function play(
  browser: BrowserName,
  engine: DashEngine,
  src: string,
  rewrite?: Readonly<Record<string, string>>,
): Promise<DashPlay> {
  return suite().withPage(browser, suite().pages.dashUrl, (driver) => playDash(driver, engine, src, rewrite));
}

function expectPlayedCleanly(result: DashPlay): void {
  expectPlayedAndSeeked(result);
  expect(result.errors).toEqual([]);
}

const RENDITIONS = [
  { rendition: 'on-demand', ranged: true },
  { rendition: 'template', ranged: false },
] as const;
const MATRIX = (['chromium', 'firefox'] as const).flatMap((browser) =>
  (['dashjs', 'shaka'] as const).flatMap((engine) => RENDITIONS.map((entry) => ({ browser, engine, ...entry }))),
);

test.each(MATRIX)(
  '$browser + $engine play the $rendition DASH rendition and seek, every range answered exactly, as from S3',
  async ({ browser, engine, rendition, ranged }) => {
    // Prepare
    const dir = `dash/${rendition}`;
    const manifest = `${dir}/manifest.mpd`;
    const rewrite = await presignedRewrite(suite().stack, renditionKeys(dir));
    const bucketBase = bucketBaseUrl(suite().stack);

    // Act
    const control = await play(browser, engine, await s3DirectUrl(suite().stack, manifest), rewrite);
    const viaOrigin = await play(browser, engine, objectUrl(suite().stack, manifest));

    // Assess: both played and seeked without a player error, to the same duration.
    expectPlayedCleanly(control);
    expectPlayedCleanly(viaOrigin);
    expect(viaOrigin.started.duration).toBeCloseTo(control.started.duration, 3);
    // Assess: every answer exact, from S3 as from the origin (which never redirected elsewhere).
    const fromS3: RangeSummary = expectExactAnswers(control.requests, bucketBase, DASH_TYPES);
    const fromOrigin: RangeSummary = expectExactAnswers(viaOrigin.requests, suite().stack.url, DASH_TYPES);
    expect(fromOrigin.whole).toContain(manifest);
    if (ranged) {
      // The on-demand files are only ever read by ranges, and at least the init + sidx + some fragments were.
      for (const summary of [fromS3, fromOrigin]) {
        expect(summary.whole).toEqual([manifest]);
        expect(summary.ranges.length).toBeGreaterThanOrEqual(3);
      }
    } else {
      expect(fromOrigin.whole.some((key) => key.endsWith('.m4s'))).toBe(true);
    }
    console.log(
      `${browser} ${engine} ${rendition}: via origin ${fromOrigin.ranges.length} ranges, ${fromOrigin.whole.length} whole, ${fromOrigin.aborted} aborted, ${fromOrigin.unanswered} unanswered; from S3 ${fromS3.ranges.length} ranges, ${fromS3.whole.length} whole\n  ${fromOrigin.ranges.join('\n  ')}`,
    );
  },
  120_000,
);
