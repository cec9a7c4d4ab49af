/**
 * Reads the byte ranges an HLS media playlist (RFC 8216) asks for: EXT-X-MAP:BYTERANGE="len@off" for the
 * init section and EXT-X-BYTERANGE:len[@off] before each segment URI. An omitted offset continues right after
 * the previous sub-range of the same resource (RFC 8216 section 4.3.2.2).
 */
export interface PlaylistRange {
  readonly uri: string;
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
  readonly kind: 'map' | 'segment';
}

export function playlistRanges(text: string): PlaylistRange[] {
  const ranges: PlaylistRange[] = [];
  const nextOffset = new Map<string, number>();
  let pending: { length: number; offset: number | undefined } | undefined;
  const add = (uri: string, length: number, offset: number | undefined, kind: PlaylistRange['kind']) => {
    const start = offset ?? nextOffset.get(uri) ?? 0;
    ranges.push({ uri, start, end: start + length - 1, kind });
    nextOffset.set(uri, start + length);
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const map = /^#EXT-X-MAP:.*URI="([^"]+)".*BYTERANGE="(\d+)(?:@(\d+))?"/.exec(line);
    const byterange = /^#EXT-X-BYTERANGE:(\d+)(?:@(\d+))?$/.exec(line);
    if (map?.[1] && map[2]) {
      add(map[1], Number(map[2]), map[3] === undefined ? undefined : Number(map[3]), 'map');
    } else if (byterange?.[1]) {
      pending = { length: Number(byterange[1]), offset: byterange[2] === undefined ? undefined : Number(byterange[2]) };
    } else if (line !== '' && !line.startsWith('#')) {
      if (pending) add(line, pending.length, pending.offset, 'segment');
      pending = undefined;
    }
  }
  return ranges;
}

/** Segment and init URIs of a media playlist without byte ranges, in playlist order. */
export function playlistUris(text: string): string[] {
  const uris: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const map = /^#EXT-X-MAP:.*URI="([^"]+)"/.exec(line);
    if (map?.[1]) uris.push(map[1]);
    else if (line !== '' && !line.startsWith('#')) uris.push(line);
  }
  return uris;
}
