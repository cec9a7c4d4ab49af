/**
 * Tells a fragmented-MP4 segment from a progressive MP4 by its top-level boxes (ISO/IEC 14496-12 section 4.2:
 * a box is a 32-bit size and a 4-character type, size 1 = a 64-bit size follows, size 0 = to the end of the file).
 * The W3C "ISO BMFF Byte Stream Format" for Media Source Extensions defines the two segment shapes players fetch
 * whole (https://www.w3.org/TR/mse-byte-stream-format-isobmff/):
 * - an initialization segment is `ftyp` + `moov` with no media data (no `mdat`): the whole object is box headers
 *   we can walk to its last byte;
 * - a media segment starts with `styp`, or directly with `sidx`, `emsg`, `prft` or `moof` (ISO/IEC 23009-1
 *   section 6.3.4 lists the same for DASH).
 * Anything else (a progressive `ftyp` + `moov` + `mdat` file, a single-file fragmented presentation
 * `ftyp` + `moov` + `sidx` + `moof`..., a truncated or malformed head) is `other`.
 *
 * Hand-written rather than mp4box.js: only the top-level 8- or 16-byte headers are read, never a box's content.
 */

export type Mp4Shape = 'init-segment' | 'media-segment' | 'other';

/** An init segment up to this size is recognised (real ones are a few KiB; this bounds what is buffered). */
export const MAX_INIT_SEGMENT_BYTES = 1024 * 1024;

/** The longest box header: 32-bit size, type, 64-bit size. */
const MAX_HEADER_BYTES = 16;

const MEDIA_SEGMENT_FIRST_BOXES: ReadonlySet<string> = new Set(['styp', 'sidx', 'emsg', 'prft', 'moof']);

/**
 * How many leading bytes mp4Shape needs for an object of `objectSize` bytes when `available` of them can be
 * read: all of a small object (to walk it to its end), else the first box header.
 */
export function mp4SniffLength(objectSize: number, available: number): number {
  if (objectSize <= Math.min(available, MAX_INIT_SEGMENT_BYTES)) return objectSize;
  return Math.min(MAX_HEADER_BYTES, available, objectSize);
}

/** The shape of the MP4 of `objectSize` bytes whose first bytes are `head`. */
export function mp4Shape(head: Uint8Array, objectSize: number): Mp4Shape {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const types: string[] = [];
  let offset = 0;
  while (offset < objectSize) {
    const box = boxAt(view, offset, objectSize);
    if (box === undefined) return 'other';
    if (types.length === 0 && MEDIA_SEGMENT_FIRST_BOXES.has(box.type)) return 'media-segment';
    types.push(box.type);
    offset += box.size;
  }
  // Walked to the last byte: a complete, box-aligned object.
  const isInit = offset === objectSize && types.includes('moov') && !types.includes('mdat') && !types.includes('moof');
  return isInit ? 'init-segment' : 'other';
}

interface BoxHeader {
  readonly type: string;
  readonly size: number;
}

/** The box header at `offset`, or undefined when it is not in `view` or cannot be a box of this object. */
function boxAt(view: DataView, offset: number, objectSize: number): BoxHeader | undefined {
  if (offset + 8 > view.byteLength) return undefined;
  const size32 = view.getUint32(offset);
  const type = fourCc(view, offset + 4);
  if (type === undefined) return undefined;
  let size: number;
  let header = 8;
  if (size32 === 1) {
    if (offset + 16 > view.byteLength) return undefined;
    size = Number(view.getBigUint64(offset + 8));
    header = 16;
  } else if (size32 === 0) {
    size = objectSize - offset;
  } else {
    size = size32;
  }
  if (!Number.isSafeInteger(size) || size < header || offset + size > objectSize) return undefined;
  return { type, size };
}

/** A box type: four printable ASCII characters (top-level types are). */
function fourCc(view: DataView, offset: number): string | undefined {
  let type = '';
  for (let index = 0; index < 4; index += 1) {
    const code = view.getUint8(offset + index);
    if (code < 0x20 || code > 0x7e) return undefined;
    type += String.fromCharCode(code);
  }
  return type;
}
