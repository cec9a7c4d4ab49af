import type { RequestFacts } from './types.ts';

/** Long names are cut (in code points) so the header stays small; file systems allow about 255 bytes anyway. */
const MAX_FILENAME_CHARS = 200;

/** RFC 8187 3.2.1 attr-char: what may appear unencoded in an ext-value. */
const ATTR_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

const encoder = new TextEncoder();

/**
 * A Content-Disposition value that makes browsers save the response as `filename` (RFC 6266 4.1, 4.3):
 * `attachment; filename="<fallback>"; filename*=UTF-8''<percent-encoded UTF-8>`.
 *
 * Recipients that understand `filename*` (RFC 8187) use it and get the name; the quoted `filename` is the
 * fallback for the rest. Nothing the caller passes can break out of the header or out of a parameter, nor make
 * the name read differently from what it is:
 * - control characters (C0, DEL, C1, so CR/LF too) become `_` in both forms;
 * - so do invisible format characters (Unicode category Cf) and the line and paragraph separators (Zl, Zp):
 *   the bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) would let
 *   `\u202Egpj.exe` display as `exe.jpg`, and zero-width and tag characters (U+200B-U+200D, U+2060-U+2064,
 *   U+FEFF, U+00AD, U+E0000-U+E007F) hide text (Unicode Security Considerations, UTR #36:
 *   https://www.unicode.org/reports/tr36/). They become a visible `_`, like every other unsafe character here,
 *   rather than disappearing, which would silently join the pieces around them. The price: emoji sequences
 *   joined by U+200D and Persian names written with U+200C show `_` where the joiner was;
 * - the fallback keeps only printable ASCII and replaces `"`, `\`, `%` (some recipients percent-decode it,
 *   RFC 6266 appendix D), `;` (naive splitters) and every non-ASCII character with `_`;
 * - `filename*` encodes every byte outside attr-char, so it contains no quote, space, `;` or `,`.
 * An empty name becomes `download`.
 */
export function contentDisposition(filename: string): string {
  const name = replaceUnsafe(filename) || 'download';
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeExtValue(name)}`;
}

/**
 * The filename to offer when the query asks for a download (`?download=clip.mp4`), else undefined.
 * An empty value (`?download` or `?download=`) means the key's last segment. The requested name is only a
 * name: path separators (`/`, `\`), control and format characters become `_`, surrounding whitespace goes,
 * and `.`, `..` or nothing left fall back to the key's last segment, then to `download`.
 */
export function downloadFilename(key: string, query: RequestFacts['query']): string | undefined {
  const requested = query.download;
  if (requested === undefined) return undefined;
  return safeName(requested) ?? safeName(key.slice(key.lastIndexOf('/') + 1)) ?? 'download';
}

function safeName(raw: string): string | undefined {
  const name = [...replaceUnsafe(raw).replace(/[/\\]/g, '_').trim()].slice(0, MAX_FILENAME_CHARS).join('');
  return name === '' || name === '.' || name === '..' ? undefined : name;
}

/** Controls (Cc: C0, DEL, C1), format characters (Cf: bidi, zero-width, tags, ...), line/paragraph separators. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

function replaceUnsafe(text: string): string {
  return text.replace(UNSAFE, '_');
}

function asciiFallback(name: string): string {
  let out = '';
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    const printable = code >= 0x20 && code <= 0x7e;
    out += printable && !'"\\%;'.includes(char) ? char : '_';
  }
  return out;
}

/** RFC 8187 ext-value bytes: UTF-8 (lone surrogates become U+FFFD, never an exception), then percent-encoding. */
function encodeExtValue(name: string): string {
  let out = '';
  for (const byte of encoder.encode(name)) {
    const char = String.fromCharCode(byte);
    out += ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
