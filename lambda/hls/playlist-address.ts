/**
 * Which playlist a `.m3u8` key asks for (the addressing rule of docs/hls-from-dash.md):
 *
 * - `<mpdKey>.m3u8` where mpdKey ends in `.mpd`: the multivariant playlist of that MPD;
 * - `<mpdKey>.<RepresentationID>.m3u8`: split at the LAST `.mpd.`: the media playlist of one representation
 *   (the id arrives percent-decoded, as the key does);
 * - `<key>.m3u8` otherwise: the media playlist of the stored fragmented MP4 `<key>`.
 */
export type PlaylistAddress =
  | { readonly kind: 'multivariant'; readonly mpdKey: string }
  | { readonly kind: 'representation'; readonly mpdKey: string; readonly representationId: string }
  | { readonly kind: 'mp4'; readonly mp4Key: string };

const SUFFIX = '.m3u8';

export function playlistAddress(key: string): PlaylistAddress | undefined {
  if (!key.endsWith(SUFFIX)) return undefined;
  const rest = key.slice(0, -SUFFIX.length);
  if (rest === '' || rest.endsWith('/')) return undefined;
  if (rest.endsWith('.mpd')) return { kind: 'multivariant', mpdKey: rest };
  const at = rest.lastIndexOf('.mpd.');
  if (at !== -1 && at + 5 < rest.length) {
    return { kind: 'representation', mpdKey: rest.slice(0, at + 4), representationId: rest.slice(at + 5) };
  }
  return { kind: 'mp4', mp4Key: rest };
}

/** The folder part of a key ('' or ends with '/'): relative names in the sources resolve against it. */
export function folderOfKey(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

export function nameOfKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
