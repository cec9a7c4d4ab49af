/**
 * GStreamer's HLS demuxer (hlsdemux2, from gst-plugins-good's adaptivedemux2 in GStreamer 1.22; it needs the
 * streams-aware playbin3) plays the HLS the origin generates from the stored DASH (media/dash/): the multivariant
 * playlist and the audio representation's media playlist of both DASH renditions decode to the end
 * (test/e2e/support/gst-hls-play.py), and playbin3 seeks to 50% and 85% of the duration, each seek landing within
 * 1.5 s and playing on (test/e2e/support/gst-hls-seek.py). Both tools hold hlsdemux2's read-ahead under the length
 * of the media, so it cannot reach the end of a playlist before it has exposed its pads (test/e2e/support/gst_hls.py).
 *
 * Control: the same streams packaged offline as HLS (media/hls-control/) straight from the
 * S3-compatible server, in the same test, must do the same with the same duration. Only the first playlist is
 * presigned: the demuxer resolves the relative URIs against it and drops its query (RFC 3986 section 5.2.2); the
 * embedded server answers those unsigned GETs as S3 answers a public-read bucket would.
 */

import { requireTools } from '../support/require-tools.ts';
import { gstElement, PYTHON_GST } from '../support/tools/requirements.ts';
import { type GstSeekReport, gstHlsPlay, gstSeek } from './support/gst-seek.ts';
import { hlsFromDashCases } from './support/hls-from-dash.ts';
import { s3DirectUrl } from './support/s3-direct.ts';
import { e2eStackForSuite, objectUrl } from './support/stack.ts';

const { test } = requireTools(
  PYTHON_GST,
  gstElement('playbin3', 'gstreamer1.0-plugins-base'),
  gstElement('hlsdemux2', 'gstreamer1.0-plugins-good'),
  gstElement('souphttpsrc', 'gstreamer1.0-plugins-good'),
  gstElement('avdec_h264', 'gstreamer1.0-libav'),
  gstElement('avdec_aac', 'gstreamer1.0-libav'),
);

const stack = e2eStackForSuite();

const seek = (url: string): Promise<GstSeekReport> => gstSeek('gst-hls-seek.py', url);

/** A seek that landed within the tolerance and played on after. */
function succeeded(step: NonNullable<GstSeekReport['seeks']>[number] | undefined): boolean {
  if (!step?.accepted || step.landed === null || step.advancedTo === null) return false;
  return Math.abs(step.landed - step.target) < 1.5 && step.advancedTo > step.landed;
}

const CASES = hlsFromDashCases();

test.each(CASES)(
  'GStreamer (playbin3, hlsdemux2) decodes all of the $content HLS generated from the $rendition DASH, as the offline HLS from S3',
  async ({ generated, control }) => {
    // Act
    const fromS3 = await gstHlsPlay(await s3DirectUrl(stack(), control));
    const viaOrigin = await gstHlsPlay(objectUrl(stack(), generated));

    // Assess: both end at EOS with no error, and went through the HLS demuxer.
    for (const report of [fromS3, viaOrigin]) {
      const { eos, error, demuxers } = report;
      expect({ eos, error, demuxers }).toEqual({ eos: true, error: null, demuxers: ['hlsdemux2'] });
    }
  },
  120_000,
);

test.each(CASES)(
  'GStreamer (playbin3) seeks the $content HLS generated from the $rendition DASH to 50%% and 85%% and plays on, as the offline HLS from S3',
  async ({ generated, control }) => {
    // Act
    const fromS3 = await seek(await s3DirectUrl(stack(), control));
    const viaOrigin = await seek(objectUrl(stack(), generated));

    // The whole reports first, so a failure below shows what each player did.
    console.log(`${generated}: via origin ${JSON.stringify(viaOrigin)}; control ${JSON.stringify(fromS3)}`);
    // Assess: both started, are seekable, with two seeks reported.
    for (const report of [fromS3, viaOrigin]) {
      expect({ error: report.error, seekable: report.seekable }).toEqual({ error: null, seekable: true });
      expect(report.started).toBeGreaterThan(0.3);
      expect(report.duration).toBeGreaterThan(5);
      expect(report.seeks).toHaveLength(2);
    }
    // Assess: each seek landed within 1.5 s of its target and played on, from S3 as through the origin.
    const outcomes = (report: GstSeekReport) => (report.seeks ?? []).map(succeeded);
    expect({ fromS3: outcomes(fromS3), viaOrigin: outcomes(viaOrigin) }).toEqual({
      fromS3: [true, true],
      viaOrigin: [true, true],
    });
    expect(Math.abs((viaOrigin.duration ?? 0) - (fromS3.duration ?? 0))).toBeLessThan(0.1);
  },
  180_000,
);
