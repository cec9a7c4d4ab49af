/**
 * From a playlist address to the playlist text, through a SourceReader (the S3 reads live in read-sources.ts;
 * tests pass an in-memory reader). Reads per playlist, after the request's own miss on the `.m3u8` key:
 *
 * - multivariant: the MPD (1);
 * - representation, SegmentTemplate: the MPD (1): segment files are named, not read;
 * - representation, SegmentBase with indexRange: the MPD + the sidx range (2);
 * - one stored MP4, or SegmentBase without indexRange: the head of the file (64 KiB) and, when the sidx is
 *   not inside it, the sidx box itself; at most MAX_HEAD_READS + 1.
 */
import { indexedSegments, type MediaSegments, templateSegments } from './media-segments.ts';
import { MAX_SIDX_BYTES, parseSidx, type SegmentIndex, topLevelBoxes } from './mp4-boxes.ts';
import { type InclusiveRange, MAX_MPD_BYTES, type MpdRepresentation, parseMpd } from './parse-mpd.ts';
import { folderOfKey, nameOfKey, type PlaylistAddress } from './playlist-address.ts';
import { UnplayableSourceError, unplayable } from './unplayable-source.ts';
import { writeMediaPlaylist, writeMultivariantPlaylist } from './write-playlists.ts';

export const HEAD_WINDOW_BYTES = 64 * 1024;
/** Head windows scanned for the sidx before giving up (the init section and index precede the media). */
export const MAX_HEAD_READS = 2;

export interface SourceBytes {
  readonly bytes: Uint8Array;
  /** Size of the whole stored object. */
  readonly size: number;
}

export interface SourceReader {
  /**
   * The bytes of `key` in `range` (the whole object when undefined), failing with UnplayableSourceError when
   * the object is missing or larger than `maxBytes`.
   */
  read(key: string, range: InclusiveRange | undefined, maxBytes: number): Promise<SourceBytes>;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

async function readPresentation(reader: SourceReader, mpdKey: string) {
  const source = await reader.read(mpdKey, undefined, MAX_MPD_BYTES);
  let text: string;
  try {
    text = decoder.decode(source.bytes);
  } catch (cause) {
    throw new UnplayableSourceError(422, 'the MPD is not UTF-8 text', { cause });
  }
  return parseMpd(text);
}

export async function generatePlaylist(address: PlaylistAddress, reader: SourceReader): Promise<string> {
  if (address.kind === 'mp4') {
    const index = await scanMp4(reader, address.mp4Key);
    return writeMediaPlaylist(indexedSegments(nameOfKey(address.mp4Key), index.init, index.sidx, false));
  }
  const presentation = await readPresentation(reader, address.mpdKey);
  if (address.kind === 'multivariant') {
    const playable = presentation.representations.filter((r) => r.contentType !== 'other');
    if (playable.length === 0) throw unplayable('the MPD has no audio or video representation');
    return writeMultivariantPlaylist({ ...presentation, representations: playable }, nameOfKey(address.mpdKey));
  }
  const representation = presentation.representations.find((r) => r.id === address.representationId);
  if (representation === undefined) {
    throw new UnplayableSourceError(404, 'the MPD has no representation with that id');
  }
  return writeMediaPlaylist(
    await representationSegments(reader, folderOfKey(address.mpdKey), representation, presentation.durationSeconds),
  );
}

async function representationSegments(
  reader: SourceReader,
  folder: string,
  representation: MpdRepresentation,
  durationSeconds: number | undefined,
): Promise<MediaSegments> {
  const { addressing } = representation;
  if (addressing.kind === 'template') return templateSegments(representation, addressing, durationSeconds);
  const path = representation.baseUrl;
  if (path === '' || path.endsWith('/')) throw unplayable('a SegmentBase representation names no media file');
  const key = folder + path;
  if (addressing.indexRange === undefined) {
    const index = await scanMp4(reader, key);
    return indexedSegments(path, addressing.initialization ?? index.init, index.sidx, representation.startsWithSap);
  }
  const range = addressing.indexRange;
  if (range.end - range.start + 1 > MAX_SIDX_BYTES) throw unplayable('the segment index is larger than 1 MiB');
  const source = await reader.read(key, range, MAX_SIDX_BYTES);
  if (source.bytes.byteLength !== range.end - range.start + 1) {
    throw unplayable('the indexRange lies beyond the end of the media file');
  }
  const sidx = parseSidx(source.bytes, range.start, source.size);
  const init = addressing.initialization ?? { start: 0, end: range.start - 1 };
  if (init.end < init.start) throw unplayable('the representation has no initialization range');
  return indexedSegments(path, init, sidx, representation.startsWithSap);
}

/**
 * One stored fragmented MP4: walk its top-level boxes from the start (ftyp, moov, ..., sidx) in bounded
 * windows. The init section is everything up to the end of moov; the sidx must come before the first moof.
 */
async function scanMp4(reader: SourceReader, key: string): Promise<{ init: InclusiveRange; sidx: SegmentIndex }> {
  let offset = 0;
  let moovEnd: number | undefined;
  let size = Number.POSITIVE_INFINITY;
  for (let reads = 0; reads < MAX_HEAD_READS && offset < size; reads += 1) {
    const windowStart = offset;
    const window = await reader.read(
      key,
      { start: windowStart, end: windowStart + HEAD_WINDOW_BYTES - 1 },
      HEAD_WINDOW_BYTES,
    );
    size = window.size;
    const boxes = topLevelBoxes(window.bytes, windowStart, windowStart, size);
    if (boxes.length === 0) break;
    for (const box of boxes) {
      if (box.type === 'moov') moovEnd = box.offset + box.size;
      if (box.type === 'moof' || box.type === 'mdat') {
        throw unplayable(
          moovEnd === undefined ? 'the MP4 is not fragmented with moov first' : 'the MP4 has no segment index (sidx)',
        );
      }
      if (box.type === 'sidx') {
        if (moovEnd === undefined) throw unplayable('the MP4 has a segment index before its moov');
        if (box.size > MAX_SIDX_BYTES) throw unplayable('the segment index is larger than 1 MiB');
        const inWindow = box.offset + box.size <= windowStart + window.bytes.byteLength;
        const bytes = inWindow
          ? window.bytes.subarray(box.offset - windowStart, box.offset - windowStart + box.size)
          : (await reader.read(key, { start: box.offset, end: box.offset + box.size - 1 }, MAX_SIDX_BYTES)).bytes;
        const sidx = parseSidx(bytes, box.offset, size);
        const last = sidx.references.at(-1);
        // ffmpeg's default fMP4 muxing writes one small sidx per fragment: listing only the first one's
        // segments would be a partial playlist. One index must cover the file to its end.
        if (last === undefined || last.offset + last.size !== size) {
          throw unplayable('the segment index does not cover the whole file (one sidx per fragment)');
        }
        return { init: { start: 0, end: moovEnd - 1 }, sidx };
      }
      offset = box.offset + box.size;
    }
  }
  throw unplayable('the MP4 has no segment index (sidx) near its start');
}
