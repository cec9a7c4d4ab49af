import { contentRange } from './content-range.ts';
import type { ByteRange } from './types.ts';

/** RFC 2046 5.1.1: 1 to 70 characters from bchars; this subset leaves out the space (which may not end one). */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=?]{1,70}$/;

export interface MultipartBody {
  readonly parts: ReadonlyArray<{ readonly head: string; readonly range: ByteRange }>;
  readonly tail: string;
  /** Exact body length in bytes: every head and tail (UTF-8) plus every part's bytes. */
  readonly length: number;
}

/**
 * Frame a multipart/byteranges body (RFC 9110 14.6). Each part is `head` followed by the bytes of `range`:
 *
 *   CRLF "--" boundary CRLF
 *   "Content-Type: " type CRLF
 *   "Content-Range: bytes first-last/size" CRLF
 *   CRLF
 *   <bytes>
 * and after the last part the close delimiter, CRLF "--" boundary "--" CRLF.
 *
 * Every head starts with CRLF because RFC 2046 makes that CRLF part of the delimiter; before the first part it
 * reads as an empty preamble, which recipients ignore (nginx and Apache frame the same way). The heads are
 * ASCII when `contentType` is (contentTypeFor guarantees it), so the UTF-8 length is their character count.
 * The caller picks a random boundary; it is checked here because a bad one would corrupt every part.
 */
export function multipartParts(
  ranges: readonly ByteRange[],
  size: number,
  contentType: string,
  boundary: string,
): MultipartBody {
  if (!BOUNDARY.test(boundary)) throw new RangeError(`invalid multipart boundary: ${JSON.stringify(boundary)}`);
  if (/[\r\n]/.test(contentType)) throw new RangeError('a part Content-Type cannot contain CR or LF');
  let length = 0;
  const parts = ranges.map((range) => {
    const head = `\r\n--${boundary}\r\nContent-Type: ${contentType}\r\nContent-Range: ${contentRange(size, range)}\r\n\r\n`;
    length += Buffer.byteLength(head, 'utf8') + (range.end - range.start + 1);
    return { head, range };
  });
  const tail = `\r\n--${boundary}--\r\n`;
  length += Buffer.byteLength(tail, 'utf8');
  return { parts, tail, length };
}
