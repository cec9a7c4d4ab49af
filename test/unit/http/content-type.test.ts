import fc from 'fast-check';
import { contentTypeFor } from '../../../lambda/http/content-type.ts';

describe('contentTypeFor', () => {
  test.each([
    ['mp4', 'video/mp4'],
    ['m4v', 'video/mp4'],
    ['m4a', 'audio/mp4'],
    ['m4s', 'video/iso.segment'],
    ['webm', 'video/webm'],
    ['weba', 'audio/webm'],
    ['mp3', 'audio/mpeg'],
    ['aac', 'audio/aac'],
    ['m3u8', 'application/vnd.apple.mpegurl'],
    ['mpd', 'application/dash+xml'],
    ['ts', 'video/mp2t'],
    ['vtt', 'text/vtt'],
    ['srt', 'application/x-subrip'],
    ['ttml', 'application/ttml+xml'],
    ['ogg', 'audio/ogg'],
    ['oga', 'audio/ogg'],
    ['ogv', 'video/ogg'],
    ['opus', 'audio/ogg'],
    ['flac', 'audio/flac'],
    ['wav', 'audio/wav'],
    ['mov', 'video/quicktime'],
    ['mkv', 'video/x-matroska'],
    ['jpg', 'image/jpeg'],
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['webp', 'image/webp'],
    ['gif', 'image/gif'],
    ['json', 'application/json'],
    ['key', 'application/octet-stream'],
  ])('.%s -> %s when nothing useful is stored', (extension, expected) => {
    // Prepare
    const key = `media/clip.${extension}`;
    // Act
    const types = [contentTypeFor(key, undefined), contentTypeFor(key, 'binary/octet-stream')];
    // Assess
    expect(types).toEqual([expected, expected]);
  });

  test.each<[string, string, string | undefined, string]>([
    ['stored type wins', 'a.mp4', 'video/webm', 'video/webm'],
    [
      'stored type with parameters is kept verbatim',
      'a.m3u8',
      'application/x-mpegURL; charset=utf-8',
      'application/x-mpegURL; charset=utf-8',
    ],
    ['S3 default binary/octet-stream is generic', 'a.mp4', 'binary/octet-stream', 'video/mp4'],
    ['application/octet-stream is generic', 'a.mp4', 'application/octet-stream', 'video/mp4'],
    ['generic in upper case', 'a.mp4', 'Binary/Octet-Stream', 'video/mp4'],
    ['generic with parameters', 'a.mp4', 'application/octet-stream; charset=binary', 'video/mp4'],
    ['empty stored type', 'a.mp4', '', 'video/mp4'],
    ['blank stored type', 'a.mp4', '   ', 'video/mp4'],
    ['malformed stored type (no subtype)', 'a.mp4', 'video', 'video/mp4'],
    ['stored type with a control character', 'a.mp4', 'video/mp4\r\nx-evil: 1', 'video/mp4'],
    ['stored type with non-ASCII', 'a.mp4', 'vidéo/mp4', 'video/mp4'],
    ['extension is case-insensitive', 'CLIP.MP4', undefined, 'video/mp4'],
    ['mixed case extension', 'playlist.M3u8', undefined, 'application/vnd.apple.mpegurl'],
    ['only the last extension counts', 'a.mp4.part', undefined, 'application/octet-stream'],
    ['unknown extension', 'a.xyz', undefined, 'application/octet-stream'],
    ['no extension', 'README', undefined, 'application/octet-stream'],
    ['a dot in a folder name is no extension', 'v1.mp4/README', undefined, 'application/octet-stream'],
    ['a dotfile has no extension', 'folder/.mp4', undefined, 'application/octet-stream'],
    ['trailing dot', 'a.', undefined, 'application/octet-stream'],
    ['html is not inferred (not a web host)', 'index.html', undefined, 'application/octet-stream'],
    ['svg is not inferred', 'a.svg', undefined, 'application/octet-stream'],
    ["stored text/html is the uploader's choice", 'index.html', 'text/html; charset=utf-8', 'text/html; charset=utf-8'],
    ['prototype names are not extensions', 'a.__proto__', undefined, 'application/octet-stream'],
    ['constructor is not an extension', 'a.constructor', undefined, 'application/octet-stream'],
  ])('%s', (_name, key, stored, expected) => {
    // Prepare: the key and stored type above
    // Act
    const type = contentTypeFor(key, stored);
    // Assess
    expect(type).toBe(expected);
  });

  test('property: always a printable ASCII header value', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), (key, stored) => {
        // Prepare / Act
        const type = contentTypeFor(key, stored);
        // Assess
        expect(type).toMatch(/^[\t\x20-\x7e]+$/);
        expect(type).toContain('/');
      }),
    );
  });
});
