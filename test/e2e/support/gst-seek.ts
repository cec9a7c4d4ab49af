/**
 * Runs one of the GStreamer seek tools beside this file (gst-seek.py: playbin, as WebKitGTK drives it;
 * gst-hls-seek.py: playbin3, which hlsdemux2 needs) on a URL, seeking to 50% and 85% of the duration, or the
 * HLS decode tool (gst-hls-play.py: playbin3 to the end, as fast as it decodes), and reads the JSON report it prints.
 */
import { fileURLToPath } from 'node:url';
import { PYTHON_GST, toolPath } from '../../support/tools/requirements.ts';
import { runOk } from './run.ts';

export interface GstSeekReport {
  /** gst-hls-seek.py only: the position once playback got going, before any seek. */
  readonly started?: number | null;
  readonly seekable?: boolean;
  readonly duration?: number | null;
  readonly seeks?: ReadonlyArray<{
    target: number;
    accepted: boolean;
    landed: number | null;
    advancedTo: number | null;
  }>;
  readonly error: string | null;
}

export async function gstSeek(tool: 'gst-seek.py' | 'gst-hls-seek.py', url: string): Promise<GstSeekReport> {
  const script = fileURLToPath(new URL(`./${tool}`, import.meta.url));
  const { stdout } = await runOk(toolPath(PYTHON_GST), [script, url, '0.5', '0.85'], { timeoutMs: 90_000 });
  return JSON.parse(stdout.toString('utf8')) as GstSeekReport;
}

export interface GstPlayReport {
  /** Playback reached the end of the stream. */
  readonly eos: boolean;
  /** Factory names of the adaptive demuxers playbin3 built (hlsdemux2 for HLS). */
  readonly demuxers: readonly string[];
  readonly error: string | null;
}

/** gst-hls-play.py: playbin3 decodes all of an HLS URL to fakesinks (sync=false). */
export async function gstHlsPlay(url: string): Promise<GstPlayReport> {
  const script = fileURLToPath(new URL('./gst-hls-play.py', import.meta.url));
  const { stdout } = await runOk(toolPath(PYTHON_GST), [script, url], { timeoutMs: 60_000 });
  return JSON.parse(stdout.toString('utf8')) as GstPlayReport;
}
