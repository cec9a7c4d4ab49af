import { type MediaFamily, mediaFamily } from '../../../lambda/plain-get-redirect/media-family.ts';

describe('mediaFamily', () => {
  test.each<[string, string | undefined, MediaFamily]>([
    // Progressive audio and video, by extension (stored type missing or generic).
    ['a/song.mp3', undefined, 'progressive'],
    ['a/song.MP3', 'binary/octet-stream', 'progressive'],
    ['a/clip.webm', undefined, 'progressive'],
    ['a/clip.mkv', undefined, 'progressive'],
    ['a/clip.ogv', undefined, 'progressive'],
    ['a/a.ogg', undefined, 'progressive'],
    ['a/a.oga', undefined, 'progressive'],
    ['a/a.opus', undefined, 'progressive'],
    ['a/a.flac', undefined, 'progressive'],
    ['a/a.wav', undefined, 'progressive'],
    ['a/a.aac', undefined, 'progressive'],
    ['a/a.weba', undefined, 'progressive'],
    // ISO BMFF: progressive or a segment, the bytes decide.
    ['a/clip.mp4', undefined, 'iso-bmff'],
    ['a/clip.m4v', undefined, 'iso-bmff'],
    ['a/a.m4a', undefined, 'iso-bmff'],
    ['a/clip.mov', undefined, 'iso-bmff'],
    ['dash/init-0.mp4', 'video/mp4', 'iso-bmff'],
    // Playlists, manifests, segments, subtitles: by extension whatever the stored type.
    ['hls/index.m3u8', undefined, 'streamed-whole'],
    ['hls/index.m3u8', 'text/plain', 'streamed-whole'],
    ['a/list.m3u', undefined, 'streamed-whole'],
    ['dash/manifest.mpd', undefined, 'streamed-whole'],
    ['dash/chunk-0-001.m4s', 'video/mp4', 'streamed-whole'],
    ['cmaf/seg-1.cmfv', undefined, 'streamed-whole'],
    ['cmaf/seg-1.cmfa', undefined, 'streamed-whole'],
    ['cmaf/seg-1.cmft', undefined, 'streamed-whole'],
    ['hls/seg-1.ts', undefined, 'streamed-whole'],
    ['subs/en.vtt', undefined, 'streamed-whole'],
    ['subs/en.srt', undefined, 'streamed-whole'],
    ['subs/en.ttml', undefined, 'streamed-whole'],
    // ... or by a stored type that says so.
    ['hls/playlist', 'application/vnd.apple.mpegURL', 'streamed-whole'],
    ['hls/playlist', 'audio/mpegurl', 'streamed-whole'],
    ['dash/manifest', 'application/dash+xml; charset=utf-8', 'streamed-whole'],
    ['seg/1', 'video/mp2t', 'streamed-whole'],
    ['seg/2', 'video/iso.segment', 'streamed-whole'],
    ['subs/en', 'text/vtt', 'streamed-whole'],
    // A stored type wins over the extension for the others (the type the origin sends).
    ['a/clip', 'video/webm', 'progressive'],
    ['a/clip.bin', 'audio/mpeg', 'progressive'],
    ['a/clip', 'video/mp4', 'iso-bmff'],
    ['a/clip.mp4', 'image/png', 'other'],
    // Everything else.
    ['a/poster.jpg', undefined, 'other'],
    ['a/data.json', undefined, 'other'],
    ['hls/key.key', undefined, 'other'],
    ['a/archive.zip', undefined, 'other'],
    ['a/noextension', undefined, 'other'],
    ['a/.mp3', undefined, 'other'],
    ['a.m3u8/file', undefined, 'other'],
  ])('%s stored as %s -> %s', (key, stored, expected) => {
    // Act / Assess
    expect(mediaFamily(key, stored)).toBe(expected);
  });
});
