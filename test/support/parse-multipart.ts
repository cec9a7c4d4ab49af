/**
 * Parses a multipart/byteranges body (RFC 9110 section 14.6, RFC 2046 section 5.1.1) strictly: every part
 * starts with CRLF "--" boundary CRLF, carries header lines, a blank line, then exactly the number of bytes
 * its Content-Range announces; the body ends with CRLF "--" boundary "--" CRLF. Any deviation throws, so a
 * test using it fails on framing errors, not just on content.
 */
export interface ByteRangePart {
  readonly headers: Record<string, string>;
  readonly start: number;
  readonly end: number;
  readonly size: number;
  readonly data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string {
  const match = /^multipart\/byteranges;\s*boundary=("?)([^";]+)\1$/i.exec(contentType ?? '');
  if (match?.[2] === undefined) throw new Error(`not a multipart/byteranges content type: ${contentType}`);
  return match[2];
}

export function parseMultipartByteranges(body: Buffer, boundary: string): ByteRangePart[] {
  const parts: ByteRangePart[] = [];
  const delimiter = `\r\n--${boundary}`;
  let offset = 0;
  for (;;) {
    if (body.toString('latin1', offset, offset + delimiter.length) !== delimiter) {
      throw new Error(`expected a boundary at byte ${offset}`);
    }
    offset += delimiter.length;
    const after = body.toString('latin1', offset, offset + 2);
    if (after === '--') {
      if (body.toString('latin1', offset + 2) !== '\r\n') throw new Error('garbage after the close delimiter');
      return parts;
    }
    if (after !== '\r\n') throw new Error(`expected CRLF after the boundary at byte ${offset}`);
    offset += 2;
    const headerEnd = body.indexOf('\r\n\r\n', offset, 'latin1');
    if (headerEnd < 0) throw new Error('part without a blank line after its headers');
    const headers: Record<string, string> = {};
    for (const line of body.toString('latin1', offset, headerEnd).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`bad part header line ${JSON.stringify(line)}`);
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers['content-range'] ?? '');
    if (range === null) throw new Error(`part without a valid Content-Range: ${headers['content-range']}`);
    const start = Number(range[1]);
    const end = Number(range[2]);
    offset = headerEnd + 4;
    const data = body.subarray(offset, offset + end - start + 1);
    if (data.length !== end - start + 1) throw new Error('part shorter than its Content-Range');
    offset += data.length;
    parts.push({ headers, start, end, size: Number(range[3]), data });
  }
}
