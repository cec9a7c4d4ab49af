/**
 * Splits a multipart/byteranges body (RFC 9110 section 14.6) into its parts, so the tests can check every
 * part's Content-Range and bytes against the stored file.
 */
export interface BytePart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export function boundaryOf(contentType: string | undefined): string {
  const match = /^multipart\/byteranges;\s*boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  if (!match?.[2]) throw new Error(`not multipart/byteranges: ${String(contentType)}`);
  return match[2];
}

export function parseByteranges(body: Buffer, boundary: string): BytePart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: BytePart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error('no boundary in body');
  for (;;) {
    at += delimiter.length;
    // The close delimiter is the boundary followed by "--".
    if (body.subarray(at, at + 2).toString('latin1') === '--') return parts;
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) throw new Error('part without header end');
    const headers: Record<string, string> = {};
    for (const line of body.subarray(at, headerEnd).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new Error('part without following boundary');
    parts.push({ headers, body: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
}
