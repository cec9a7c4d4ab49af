/**
 * The playlist texts (RFC 8216). Media playlists are VOD playlists of fMP4 segments:
 *
 * - EXT-X-VERSION:6: EXT-X-MAP in a playlist without EXT-X-I-FRAMES-ONLY requires 6 (section 4.3.2.5), which
 *   also covers EXT-X-BYTERANGE (4) and decimal EXTINF durations (3); nothing here needs 7 (SERVICE values of
 *   INSTREAM-ID). https://www.rfc-editor.org/rfc/rfc8216#section-7
 * - EXT-X-TARGETDURATION: every EXTINF duration ROUNDED TO THE NEAREST INTEGER must be <= it (section
 *   4.3.3.1), so it is the largest rounded duration (at least 1).
 * - URIs are relative to the playlist's own URL, which sits in the MPD's folder, each path segment
 *   percent-encoded.
 */
import type { MediaSegments } from './media-segments.ts';
import type { MpdRepresentation, Presentation } from './parse-mpd.ts';

export const PLAYLIST_VERSION = 6;

export function uriOfPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function byteRangeValue(range: { readonly start: number; readonly end: number }): string {
  return `${range.end - range.start + 1}@${range.start}`;
}

/** Seconds with up to 6 decimals, trailing zeros dropped ("2", "2.031746"). */
function decimal(seconds: number): string {
  return String(Number(seconds.toFixed(6)));
}

export function targetDuration(durations: readonly number[]): number {
  let target = 1;
  for (const duration of durations) target = Math.max(target, Math.round(duration));
  return target;
}

export function writeMediaPlaylist(media: MediaSegments): string {
  const lines = [
    '#EXTM3U',
    `#EXT-X-VERSION:${PLAYLIST_VERSION}`,
    `#EXT-X-TARGETDURATION:${targetDuration(media.segments.map((segment) => segment.durationSeconds))}`,
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-MEDIA-SEQUENCE:0',
  ];
  if (media.independent) lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  if (media.init !== undefined) {
    const range = media.init.range === undefined ? '' : `,BYTERANGE="${byteRangeValue(media.init.range)}"`;
    lines.push(`#EXT-X-MAP:URI="${uriOfPath(media.init.path)}"${range}`);
  }
  for (const segment of media.segments) {
    lines.push(`#EXTINF:${decimal(segment.durationSeconds)},`);
    if (segment.range !== undefined) lines.push(`#EXT-X-BYTERANGE:${byteRangeValue(segment.range)}`);
    lines.push(uriOfPath(segment.path));
  }
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

/** The media playlist name of a representation, relative to the multivariant playlist. */
export function mediaPlaylistUri(mpdName: string, representationId: string): string {
  return `${encodeURIComponent(mpdName)}.${encodeURIComponent(representationId)}.m3u8`;
}

/** A quoted-string attribute value may not hold `"` or line breaks (RFC 8216 section 4.2). */
function quoted(value: string): string {
  return `"${value.replace(/["\r\n]/g, "'")}"`;
}

function codecsOf(...representations: readonly MpdRepresentation[]): string | undefined {
  const codecs = [...new Set(representations.flatMap((r) => (r.codecs === undefined ? [] : [r.codecs])))];
  return codecs.length === 0 ? undefined : codecs.join(',');
}

/**
 * The multivariant playlist: one EXT-X-STREAM-INF per video representation (per audio group), audio as
 * EXT-X-MEDIA renditions grouped by codec (a variant's CODECS must name its audio codec too, RFC 8216
 * 4.3.4.2); an audio-only presentation lists its audio representations as the variants.
 * BANDWIDTH is the peak of the variant plus the largest rendition of its audio group (section 4.3.4.2).
 */
export function writeMultivariantPlaylist(presentation: Presentation, mpdName: string): string {
  const video = presentation.representations.filter((r) => r.contentType === 'video');
  const audio = presentation.representations.filter((r) => r.contentType === 'audio');
  const independent = [...video, ...audio].every((r) => r.startsWithSap);
  const lines = ['#EXTM3U', `#EXT-X-VERSION:${PLAYLIST_VERSION}`];
  if (independent) lines.push('#EXT-X-INDEPENDENT-SEGMENTS');

  if (video.length === 0) {
    for (const rendition of audio) {
      const codecs = codecsOf(rendition);
      lines.push(
        `#EXT-X-STREAM-INF:BANDWIDTH=${rendition.bandwidth}${codecs === undefined ? '' : `,CODECS=${quoted(codecs)}`}`,
        mediaPlaylistUri(mpdName, rendition.id),
      );
    }
    lines.push('');
    return lines.join('\n');
  }

  const groups = new Map<string, MpdRepresentation[]>();
  for (const rendition of audio) {
    const groupId = `audio-${rendition.codecs ?? 'unknown'}`;
    groups.set(groupId, [...(groups.get(groupId) ?? []), rendition]);
  }
  for (const [groupId, renditions] of groups) {
    const names = new Set<string>();
    for (const [index, rendition] of renditions.entries()) {
      let name = rendition.lang === undefined ? `audio ${rendition.id}` : `${rendition.lang} ${rendition.id}`;
      while (names.has(name)) name += "'";
      names.add(name);
      const attributes = [
        'TYPE=AUDIO',
        `GROUP-ID=${quoted(groupId)}`,
        `NAME=${quoted(name)}`,
        ...(rendition.lang === undefined ? [] : [`LANGUAGE=${quoted(rendition.lang)}`]),
        `DEFAULT=${index === 0 ? 'YES' : 'NO'}`,
        'AUTOSELECT=YES',
        ...(rendition.channels === undefined ? [] : [`CHANNELS=${quoted(rendition.channels)}`]),
        `URI=${quoted(mediaPlaylistUri(mpdName, rendition.id))}`,
      ];
      lines.push(`#EXT-X-MEDIA:${attributes.join(',')}`);
    }
  }
  const audioGroups = groups.size === 0 ? [undefined] : [...groups.entries()];
  for (const variant of video) {
    for (const group of audioGroups) {
      const renditions = group?.[1] ?? [];
      const peakAudio = Math.max(0, ...renditions.map((r) => r.bandwidth));
      const codecs = codecsOf(variant, ...renditions);
      const attributes = [
        `BANDWIDTH=${variant.bandwidth + peakAudio}`,
        ...(codecs === undefined ? [] : [`CODECS=${quoted(codecs)}`]),
        ...(variant.width === undefined || variant.height === undefined
          ? []
          : [`RESOLUTION=${variant.width}x${variant.height}`]),
        ...(variant.frameRate === undefined ? [] : [`FRAME-RATE=${variant.frameRate.toFixed(3)}`]),
        ...(group === undefined ? [] : [`AUDIO=${quoted(group[0])}`]),
      ];
      lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, mediaPlaylistUri(mpdName, variant.id));
    }
  }
  lines.push('');
  return lines.join('\n');
}
