/**
 * A bounded reader of the few ISO BMFF (ISO/IEC 14496-12) structures the playlists need: the top-level box
 * headers of a fragmented MP4 (where ftyp + moov end, where the sidx is) and the Segment Index box itself
 * (section 8.16.3). Hand-written because it is ~100 lines and the npm box parsers (mp4box.js, codem-isoboxer)
 * parse whole files into object trees, are browser-oriented and bring no bound on what hostile input costs;
 * here every loop is bounded by the bytes given and an explicit count limit, and every failure is the typed
 * UnplayableSourceError.
 */
import { unplayable } from './unplayable-source.ts';

/** More top-level boxes than this in the scanned head of a file is not a plausible init section. */
export const MAX_TOP_LEVEL_BOXES = 64;
/** More sidx references than this is refused (a 10 h title with 2 s segments has 18 000). */
export const MAX_SIDX_REFERENCES = 50_000;
/** The largest sidx box read (50 000 references of 12 bytes fit in 600 KB). */
export const MAX_SIDX_BYTES = 1024 * 1024;

export interface BoxHeader {
  readonly type: string;
  /** Offset of the box in the file. */
  readonly offset: number;
  readonly headerSize: number;
  /** Total size including the header. */
  readonly size: number;
}

/**
 * The top-level boxes whose HEADERS lie inside `bytes`, which hold the file's bytes from `bytesOffset` on,
 * starting with the box at file offset `from` (a box boundary). A box may extend beyond `bytes`; the scan
 * stops at the first header that does not fit.
 */
export function topLevelBoxes(bytes: Uint8Array, bytesOffset: number, from: number, fileSize: number): BoxHeader[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: BoxHeader[] = [];
  let offset = from;
  while (offset - bytesOffset + 8 <= bytes.byteLength && offset < fileSize) {
    if (boxes.length >= MAX_TOP_LEVEL_BOXES) throw unplayable('too many top-level MP4 boxes before the media');
    const header = boxHeaderAt(view, offset - bytesOffset, fileSize - bytesOffset);
    if (header === undefined) break;
    boxes.push({ ...header, offset });
    offset += header.size;
  }
  return boxes;
}

/** The header at `offset`, or undefined when its 64-bit size field lies beyond `view`. */
function boxHeaderAt(view: DataView, offset: number, fileSize: number): BoxHeader | undefined {
  const size32 = view.getUint32(offset);
  const type = fourCc(view, offset + 4);
  let size: number;
  let headerSize = 8;
  if (size32 === 1) {
    if (offset + 16 > view.byteLength) return undefined;
    const large = view.getBigUint64(offset + 8);
    if (large > BigInt(Number.MAX_SAFE_INTEGER)) throw unplayable('an MP4 box is larger than any stored object');
    size = Number(large);
    headerSize = 16;
  } else if (size32 === 0) {
    // size 0: the box extends to the end of the file (14496-12 section 4.2).
    size = fileSize - offset;
  } else {
    size = size32;
  }
  if (size < headerSize) throw unplayable('an MP4 box is smaller than its own header');
  if (offset + size > fileSize) throw unplayable('an MP4 box extends beyond the end of the file');
  return { type, offset, headerSize, size };
}

function fourCc(view: DataView, offset: number): string {
  let text = '';
  for (let i = 0; i < 4; i += 1) text += String.fromCharCode(view.getUint8(offset + i));
  return text;
}

export interface SidxReference {
  /** Byte offset of the subsegment in the file. */
  readonly offset: number;
  readonly size: number;
  /** In the sidx timescale. */
  readonly duration: number;
  readonly startsWithSap: boolean;
}

export interface SegmentIndex {
  readonly timescale: number;
  readonly references: readonly SidxReference[];
}

/**
 * Parses a whole `sidx` box (`bytes` holds exactly the box, which starts at `boxOffset` in the file).
 * Subsegment offsets are anchored at the first byte after the box plus first_offset (14496-12 8.16.3.3).
 * Hierarchical indexes (reference_type 1: a reference to another sidx) are refused: the on-demand profile
 * writes one flat index, and following them would mean more reads.
 */
export function parseSidx(bytes: Uint8Array, boxOffset: number, fileSize: number): SegmentIndex {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8) throw unplayable('the segment index is truncated');
  const header = boxHeaderAt(view, 0, Math.max(bytes.byteLength, 8));
  if (header === undefined || header.type !== 'sidx') throw unplayable('the index range does not hold a sidx box');
  if (header.size !== bytes.byteLength) throw unplayable('the sidx box size does not match the index range');
  let at = header.headerSize;
  const need = (count: number): void => {
    if (at + count > bytes.byteLength) throw unplayable('the segment index is truncated');
  };
  need(12);
  const version = view.getUint8(at);
  if (version > 1) throw unplayable('unknown sidx version');
  at += 4; // version + flags
  at += 4; // reference_ID
  const timescale = view.getUint32(at);
  at += 4;
  if (timescale === 0) throw unplayable('the segment index has a zero timescale');
  let firstOffset: number;
  if (version === 0) {
    need(8);
    firstOffset = view.getUint32(at + 4);
    at += 8;
  } else {
    need(16);
    const wide = view.getBigUint64(at + 8);
    if (wide > BigInt(Number.MAX_SAFE_INTEGER)) throw unplayable('the segment index points beyond the file');
    firstOffset = Number(wide);
    at += 16;
  }
  need(4);
  const count = view.getUint16(at + 2);
  at += 4;
  if (count === 0) throw unplayable('the segment index lists no segments');
  if (count > MAX_SIDX_REFERENCES) throw unplayable('the segment index lists too many segments');
  need(count * 12);
  const references: SidxReference[] = [];
  let offset = boxOffset + header.size + firstOffset;
  for (let i = 0; i < count; i += 1) {
    const word = view.getUint32(at);
    if (word >>> 31 === 1) throw unplayable('hierarchical segment indexes are not supported');
    const size = word & 0x7fffffff;
    const duration = view.getUint32(at + 4);
    const startsWithSap = view.getUint8(at + 8) >>> 7 === 1;
    at += 12;
    if (size === 0) throw unplayable('the segment index lists an empty segment');
    if (offset + size > fileSize) throw unplayable('the segment index points beyond the file');
    references.push({ offset, size, duration, startsWithSap });
    offset += size;
  }
  return { timescale, references };
}
