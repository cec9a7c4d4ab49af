/**
 * GStreamer (souphttpsrc, the HTTP source of gst-launch, gst-play and WebKitGTK's media element) opens with a
 * plain GET, no Range, and learns the length only from Content-Length. A streamed Function URL answer has none
 * (chunked, the header renamed to x-amzn-Remapped-Content-Length), which leaves a file "Seekable: no", without a
 * duration, and the moov-at-end MP4 undecodable. The origin therefore answers a plain GET of an audio or video
 * object with a 307 to a presigned S3 URL, whatever its size: the samples here are all small (under 1 MiB, see
 * SMALL_FILE_BYTES), the stack runs the default configuration. Each client run through the origin has its
 * control: the same object straight from the S3-compatible server, in the same test.
 *
 * Three tools: gst-discoverer-1.0 (seekable, duration), gst-launch-1.0 (decodes the whole file) and
 * test/e2e/support/gst-seek.py (playbin, the element WebKitGTK builds on: seeks to 50% and 85% of the duration
 * and plays on; needs Debian's python3-gi and gir1.2-gstreamer-1.0).
 */
import { requireTools } from '../support/require-tools.ts';
import { GSTREAMER_PLAYBACK, PYTHON_GST } from '../support/tools/requirements.ts';
import { type GstSeekReport, gstSeek } from './support/gst-seek.ts';
import { PLAIN_GET_SAMPLES, SMALL_FILE_BYTES } from './support/page-driver.ts';
import { mediaBytes } from './support/paths.ts';
import { run, runOk } from './support/run.ts';
import { s3DirectUrl } from './support/s3-direct.ts';
import { e2eStackForSuite, objectUrl } from './support/stack.ts';

// Skipped (or failed with CI=true) when a tool is missing: see test/support/require-tools.ts.
const { test } = requireTools(...GSTREAMER_PLAYBACK, PYTHON_GST);

const samples = PLAIN_GET_SAMPLES.map((sample) => sample.key);

const stack = e2eStackForSuite();

interface Discovered {
  readonly seekable: boolean | undefined;
  readonly duration: number | undefined;
}

async function discover(url: string): Promise<Discovered> {
  const { stdout } = await runOk('gst-discoverer-1.0', ['-v', url], { timeoutMs: 60_000 });
  const text = stdout.toString('utf8');
  const seekable = /^\s*Seekable: (yes|no)$/m.exec(text)?.[1];
  const duration = /^\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)$/m.exec(text);
  return {
    seekable: seekable === undefined ? undefined : seekable === 'yes',
    duration:
      duration === null ? undefined : Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]),
  };
}

const seek = (url: string): Promise<GstSeekReport> => gstSeek('gst-seek.py', url);

test.each(samples)(
  'gst-discoverer finds %s seekable with its duration through the origin, as straight from S3',
  async (key) => {
    // Act
    const viaOrigin = await discover(objectUrl(stack(), key));
    const control = await discover(await s3DirectUrl(stack(), key));

    // Assess
    expect(control.seekable).toBe(true);
    expect(control.duration).toBeGreaterThan(5);
    expect(viaOrigin).toEqual(control);
  },
  120_000,
);

test.each(samples)(
  'gst-launch souphttpsrc ! decodebin decodes all of %s through the origin, as straight from S3',
  async (key) => {
    // Prepare: -m prints the bus messages, so the EOS at the end of the file is visible.
    const pipeline = (url: string) => [
      '-m',
      'souphttpsrc',
      `location=${url}`,
      '!',
      'decodebin',
      '!',
      'fakesink',
      'sync=false',
    ];

    // Act
    const viaOrigin = await run('gst-launch-1.0', pipeline(objectUrl(stack(), key)), { timeoutMs: 60_000 });
    const control = await run('gst-launch-1.0', pipeline(await s3DirectUrl(stack(), key)), { timeoutMs: 60_000 });

    // Assess: both end at EOS, exit 0, with no error message.
    for (const result of [control, viaOrigin]) {
      const out = result.stdout.toString('utf8');
      expect({ code: result.code, error: /ERROR/.test(out + result.stderr) }).toEqual({ code: 0, error: false });
      expect(out).toMatch(/Got EOS from element/);
    }
  },
  120_000,
);

test.each(samples)(
  'GStreamer (playbin) seeks %s to 50%% and 85%% and plays on, through the origin as straight from S3',
  async (key) => {
    // Act
    const viaOrigin = await seek(objectUrl(stack(), key));
    const control = await seek(await s3DirectUrl(stack(), key));

    // Assess
    for (const report of [control, viaOrigin]) {
      expect({ error: report.error, seekable: report.seekable }).toEqual({ error: null, seekable: true });
      expect(report.duration).toBeGreaterThan(5);
      expect(report.seeks).toHaveLength(2);
      for (const step of report.seeks ?? []) {
        expect(step.accepted).toBe(true);
        expect(Math.abs((step.landed ?? -100) - step.target)).toBeLessThan(1.5);
        expect(step.advancedTo ?? 0).toBeGreaterThan(step.landed ?? 0);
      }
    }
    expect(viaOrigin.duration).toBe(control.duration);
  },
  180_000,
);

test('every sample is a small file (under 1 MiB), so the suite covers small plain GETs', () => {
  // Act / Assess
  for (const key of samples)
    expect({ key, small: mediaBytes(key).length < SMALL_FILE_BYTES }).toEqual({ key, small: true });
});
