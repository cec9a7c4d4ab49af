/**
 * What an object is, for the plain-GET rule (docs/decisions/plain-get-redirect.md): the family decides whether a
 * plain GET is sent to S3 or streamed, not the size.
 *
 * - `progressive`: a whole audio or video presentation (mp3, webm, mkv, ogg, opus, flac, wav, aac, ...). Plain-GET
 *   players seek in it, so they need S3's Content-Length.
 * - `iso-bmff`: MP4 and QuickTime (`video/mp4`, `audio/mp4`, `video/quicktime`): a progressive file, OR a
 *   fragmented-MP4 init or media segment named `.mp4` (DASH `init-0.mp4`); the first bytes tell them apart
 *   (sniff-mp4.ts).
 * - `streamed-whole`: playlists and manifests, media segments, subtitles. Players fetch them whole, in one GET, and
 *   never seek in them, so the function's chunked answer serves them; a redirect would cost a round trip per
 *   segment and, for XHR players (hls.js, dash.js), CORS on the bucket.
 * - `other`: everything else (images, JSON, keys, unknown binaries): by size, see plan-plain-get-redirect.ts.
 *
 * The key's extension names a streamed-whole object even when the stored type is generic or missing (CMAF's
 * `.cmfv`/`.cmfa`/`.cmft`/`.cmfm` have no entry in content-type.ts); otherwise the type the origin sends
 * (contentTypeFor: the stored type unless generic, else the extension's) decides.
 */
import { contentTypeFor, extensionOf } from '../http/content-type.ts';

export type MediaFamily = 'progressive' | 'iso-bmff' | 'streamed-whole' | 'other';

/** Playlists (HLS, M3U), manifests (DASH), segments (fMP4, CMAF, MPEG-TS) and subtitles (WebVTT, SRT, TTML). */
const STREAMED_WHOLE_EXTENSIONS: ReadonlySet<string> = new Set([
  'm3u8',
  'm3u',
  'mpd',
  'm4s',
  'cmfv',
  'cmfa',
  'cmft',
  'cmfm',
  'ts',
  'vtt',
  'srt',
  'ttml',
]);

/** The same families by media type essence (what a stored Content-Type says). */
const STREAMED_WHOLE_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.apple.mpegurl',
  'application/x-mpegurl',
  'audio/mpegurl',
  'audio/x-mpegurl',
  'application/dash+xml',
  'video/iso.segment',
  'audio/iso.segment',
  'video/mp2t',
  'text/vtt',
  'application/x-subrip',
  'application/ttml+xml',
]);

const ISO_BMFF_TYPES: ReadonlySet<string> = new Set(['video/mp4', 'audio/mp4', 'video/quicktime']);

/** The family of the object at `key` whose stored Content-Type is `storedType` (undefined: not known yet). */
export function mediaFamily(key: string, storedType: string | undefined): MediaFamily {
  if (STREAMED_WHOLE_EXTENSIONS.has(extensionOf(key))) return 'streamed-whole';
  const essence = (contentTypeFor(key, storedType).split(';')[0] ?? '').trim().toLowerCase();
  if (STREAMED_WHOLE_TYPES.has(essence)) return 'streamed-whole';
  if (ISO_BMFF_TYPES.has(essence)) return 'iso-bmff';
  if (essence.startsWith('audio/') || essence.startsWith('video/')) return 'progressive';
  return 'other';
}
