/**
 * ffmpeg (libavformat's HLS demuxer, the one inside ffplay and mpv) reads the HLS the origin generates from the
 * stored DASH (media/dash/) and must get exactly what it gets from the same streams packaged offline as HLS
 * (media/hls-control/): per input stream, the same number of packets read, bytes read and frames decoded, over
 * the whole playlist (`-f null`) and after a seek (`-ss`) to 50% and 85% of the duration.
 *
 * The seek is made twice. `-ss` before `-i` asks the demuxer to seek (what a player does); ffmpeg 5.1 (Debian 12)
 * cannot do that in fMP4 HLS and reads nothing after such a seek, the control included
 * (https://github.com/mpv-player/mpv/issues/13211, fixed upstream later by
 * https://github.com/FFmpeg/FFmpeg/commit/380a518c439d4e5e3cf17b97e4a06259e8048f99), so those counts are only
 * compared with the control's. `-ss` after `-i` decodes from the start and drops what comes before the target,
 * which every version does: those counts must be equal and not zero.
 *
 * Control: the offline playlist straight from the S3-compatible server, in the same test. Only the first playlist
 * is presigned: libavformat resolves the relative URIs against it and drops its query (RFC 3986 section 5.2.2)
 * and has no hook to sign them; the embedded server answers those unsigned GETs as S3 answers a public-read
 * bucket would.
 */
import { requireTools } from '../support/require-tools.ts';
import { FFMPEG, FFPROBE } from '../support/tools/requirements.ts';
import { AUDIO_REPRESENTATION, CONTROL_DIR, DASH_RENDITIONS, generatedKey } from './support/hls-from-dash.ts';
import { runOk } from './support/run.ts';
import { s3DirectUrl } from './support/s3-direct.ts';
import { e2eStackForSuite, objectUrl } from './support/stack.ts';

const { test } = requireTools(FFMPEG, FFPROBE);

const stack = e2eStackForSuite();

interface StreamCount {
  /** e.g. "video 320x180" or "audio 44100 Hz". */
  readonly stream: string;
  /** Read by the demuxer and decoded. */
  readonly packets: number;
  readonly bytes: number;
  readonly decoded: number;
  /** Frames that reached the output (after an output-side `-ss` drops those before the target). */
  readonly output: number;
}

/**
 * What `ffmpeg -v verbose ... -map 0 -f null -` read, decoded and output per input stream, from its closing
 * statistics ("Input stream #0:1 (video): 240 packets read (164338 bytes); 240 frames decoded;", "Output stream
 * #0:1 (video): 120 frames encoded;"), each stream named by its line in the input dump. Sorted, because two
 * packagers may list the variants' streams in another order.
 */
function streamCounts(log: string): StreamCount[] {
  const names = new Map<string, string>();
  const dump = log.slice(log.indexOf('Input #0'), log.indexOf('Stream mapping:'));
  for (const match of dump.matchAll(/Stream #(0:\d+)[^:]*: (Video|Audio): ([^\n]*)/g)) {
    const [, index = '', kind = '', rest = ''] = match;
    const detail = kind === 'Video' ? /\b(\d+x\d+)\b/.exec(rest)?.[1] : /(\d+ Hz)/.exec(rest)?.[1];
    names.set(index, `${kind.toLowerCase()} ${detail ?? rest}`);
  }
  const outputOf = new Map<string, string>();
  for (const [, from = '', to = ''] of log.matchAll(/^\s*Stream #(0:\d+) -> #(0:\d+)/gm)) outputOf.set(from, to);
  const encoded = new Map<string, number>();
  for (const [, index = '', frames] of log.matchAll(/Output stream #(0:\d+) \(\w+\): (\d+) frames encoded/g)) {
    encoded.set(index, Number(frames));
  }
  const counts = [
    ...log.matchAll(/Input stream #(0:\d+) \((\w+)\): (\d+) packets read \((\d+) bytes\); (\d+) frames decoded/g),
  ].map(([, index = '', kind = '', packets, bytes, frames]) => ({
    stream: names.get(index) ?? `${kind} #${index}`,
    packets: Number(packets),
    bytes: Number(bytes),
    decoded: Number(frames),
    output: encoded.get(outputOf.get(index) ?? '') ?? Number.NaN,
  }));
  return counts.sort((a, b) => a.stream.localeCompare(b.stream));
}

/** Decodes every stream of `input` to nothing, `seek` seconds in (before or after `-i`); the per-stream counts. */
async function decode(input: string, seek?: { at: number; where: 'input' | 'output' }): Promise<StreamCount[]> {
  const ss = seek === undefined ? [] : ['-ss', seek.at.toFixed(3)];
  const { stderr } = await runOk(
    'ffmpeg',
    [
      '-hide_banner',
      '-nostdin',
      '-v',
      'verbose',
      ...(seek?.where === 'input' ? ss : []),
      '-i',
      input,
      ...(seek?.where === 'output' ? ss : []),
      '-map',
      '0',
      '-f',
      'null',
      '-',
    ],
    { timeoutMs: 90_000 },
  );
  return streamCounts(stderr);
}

/** The generated playlists and their offline equivalents: multivariant, audio, and one per stored MP4. */
const CASES = [
  ...DASH_RENDITIONS.flatMap((rendition) => [
    { generated: generatedKey(rendition), control: `${CONTROL_DIR}/master.m3u8` },
    {
      generated: generatedKey(rendition, AUDIO_REPRESENTATION),
      control: `${CONTROL_DIR}/stream-${AUDIO_REPRESENTATION}.m3u8`,
    },
  ]),
  ...['0', '1', '2'].map((id) => ({
    generated: `dash/on-demand/media-${id}.mp4.m3u8`,
    control: `${CONTROL_DIR}/stream-${id}.m3u8`,
  })),
];

test.each(CASES)(
  'ffmpeg decodes all of $generated with the packets and frames of $control',
  async ({ generated, control }) => {
    // Act
    const fromS3 = await decode(await s3DirectUrl(stack(), control));
    const viaOrigin = await decode(objectUrl(stack(), generated));

    // Assess: every stream of the control read and decoded whole (10 s at 24 fps is 240 frames per video
    // stream), and exactly the same through the origin.
    expect(fromS3.length).toBeGreaterThan(0);
    for (const count of fromS3) {
      expect(count.packets).toBeGreaterThan(0);
      expect({ ...count, decoded: count.packets, output: count.packets }).toEqual(count);
    }
    expect(viaOrigin).toEqual(fromS3);
  },
  120_000,
);

test.each(CASES)(
  'ffmpeg seeks $generated to 50% and 85% with the packets and frames of $control',
  async ({ generated, control }) => {
    // Prepare: the control's duration, which the seek targets are fractions of.
    const controlUrl = await s3DirectUrl(stack(), control);
    const { stdout } = await runOk('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'csv=p=0',
      controlUrl,
    ]);
    const duration = Number(stdout.toString('utf8').trim());
    expect(duration).toBeGreaterThan(5);

    for (const fraction of [0.5, 0.85]) {
      const at = duration * fraction;
      // Act
      const demuxerSeek = {
        fromS3: await decode(controlUrl, { at, where: 'input' }),
        viaOrigin: await decode(objectUrl(stack(), generated), { at, where: 'input' }),
      };
      const decodedSeek = {
        fromS3: await decode(controlUrl, { at, where: 'output' }),
        viaOrigin: await decode(objectUrl(stack(), generated), { at, where: 'output' }),
      };

      // Assess: the demuxer's seek reads what it reads from the control; the decoder's seek decodes the same
      // frames as from the control, and a non-zero number of them.
      expect({ fraction, counts: demuxerSeek.viaOrigin }).toEqual({ fraction, counts: demuxerSeek.fromS3 });
      expect({ fraction, counts: decodedSeek.viaOrigin }).toEqual({ fraction, counts: decodedSeek.fromS3 });
      expect(decodedSeek.fromS3.length).toBeGreaterThan(0);
      for (const count of decodedSeek.fromS3) {
        expect(count.output).toBeGreaterThan(0);
        expect(count.output).toBeLessThan(count.decoded);
      }
    }
  },
  180_000,
);
