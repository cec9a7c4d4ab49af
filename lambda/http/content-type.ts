/**
 * Media types inferred from a key's extension, for objects stored without a useful Content-Type.
 * Deliberately media-centred: what players, HLS/DASH clients and subtitle renderers need.
 *
 * Choices:
 * - `m4v` -> video/mp4: an M4V file is an MP4 file; video/mp4 is the registered type (RFC 4337) every player
 *   knows, while video/x-m4v is an unregistered Apple alias.
 * - `opus` -> audio/ogg: .opus files are Ogg-encapsulated (RFC 7845).
 * - No inferred type that a browser would execute or render as a document (html, htm, svg, js, xml): a media
 *   origin is not a web host, and a bucket with user uploads must not become a place to serve pages on this
 *   origin. Such keys fall back to application/octet-stream. A Content-Type explicitly stored on the object
 *   is still honoured (the uploader chose it), with X-Content-Type-Options: nosniff on every answer.
 * - `key` (HLS AES-128 key) -> application/octet-stream, listed for clarity.
 */
const BY_EXTENSION: ReadonlyMap<string, string> = new Map(
  Object.entries({
    mp4: 'video/mp4',
    m4v: 'video/mp4',
    m4a: 'audio/mp4',
    m4s: 'video/iso.segment',
    webm: 'video/webm',
    weba: 'audio/webm',
    mp3: 'audio/mpeg',
    aac: 'audio/aac',
    m3u8: 'application/vnd.apple.mpegurl',
    mpd: 'application/dash+xml',
    ts: 'video/mp2t',
    vtt: 'text/vtt',
    srt: 'application/x-subrip',
    ttml: 'application/ttml+xml',
    ogg: 'audio/ogg',
    oga: 'audio/ogg',
    ogv: 'video/ogg',
    opus: 'audio/ogg',
    flac: 'audio/flac',
    wav: 'audio/wav',
    mov: 'video/quicktime',
    mkv: 'video/x-matroska',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    webp: 'image/webp',
    gif: 'image/gif',
    avif: 'image/avif',
    json: 'application/json',
    txt: 'text/plain; charset=utf-8',
    key: 'application/octet-stream',
  }),
);

export const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

/** S3's default for uploads without a type, and the generic binary type: neither tells a player anything. */
const GENERIC = new Set(['binary/octet-stream', 'application/octet-stream']);

/**
 * `type "/" subtype` (tokens, RFC 9110 8.3.1) then optional parameters of visible ASCII, SP and HTAB.
 * Anything else stored on an object (non-ASCII, control characters, no subtype) is not sent on.
 */
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*;[ \t!-~]*)?$/;

/**
 * The Content-Type to send: the stored one unless it is missing, generic (`binary/octet-stream`,
 * `application/octet-stream`, any case, any parameters) or not a well-formed media type; then the type for
 * the key's extension (case-insensitive); else application/octet-stream.
 */
export function contentTypeFor(key: string, stored: string | undefined): string {
  const trimmed = stored?.trim() ?? '';
  if (MEDIA_TYPE.test(trimmed)) {
    const essence = (trimmed.split(';')[0] ?? '').trim().toLowerCase();
    if (!GENERIC.has(essence)) return trimmed;
  }
  // A Map, not an object literal: a key ending in `.__proto__` or `.constructor` must not find a prototype member.
  return BY_EXTENSION.get(extensionOf(key)) ?? FALLBACK_CONTENT_TYPE;
}

/** The lower-cased text after the last dot of the last segment; a leading dot (`.mp4`) is a name, not one. */
export function extensionOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}
