import { describe, expect, test } from '@jest/globals';
import { type TokenPropagation, tokenizedUri, tokenizePlaylist } from '../../../lambda/hls/propagate-token.ts';

const token: TokenPropagation = {
  query: 'Policy=cG9s&Signature=c2ln&Key-Pair-Id=K1',
  playlistUrl: 'https://media.example/dash/a/manifest.mpd.m3u8',
  resource: 'https://media.example/dash/a/*',
};

describe('tokenizedUri', () => {
  test.each<[string, string]>([
    ['media-0.mp4', 'media-0.mp4?Policy=cG9s&Signature=c2ln&Key-Pair-Id=K1'],
    ['seg.m4s?v=2', 'seg.m4s?v=2&Policy=cG9s&Signature=c2ln&Key-Pair-Id=K1'],
    ['/dash/a/abs-path.m4s', '/dash/a/abs-path.m4s?Policy=cG9s&Signature=c2ln&Key-Pair-Id=K1'],
    // Not covered by the Resource: left bare.
    ['../b/other.m4s', '../b/other.m4s'],
    // Another origin never receives the token, whatever the Resource says.
    ['https://elsewhere.example/dash/a/x.m4s', 'https://elsewhere.example/dash/a/x.m4s'],
    ['data:text/plain,x', 'data:text/plain,x'],
  ])('%s', (uri, expected) => {
    // Act / Assess
    expect(tokenizedUri(uri, token)).toBe(expected);
  });

  test('a policy without Resource covers every URL of the origin', () => {
    // Act / Assess
    expect(tokenizedUri('../b/other.m4s', { ...token, resource: undefined })).toContain('Signature=');
  });
});

describe('tokenizePlaylist', () => {
  test('URI lines and URI="..." attributes get the token; comments, tags and blank lines stay as they are', () => {
    // Prepare
    const playlist = [
      '#EXTM3U',
      '# a comment naming x.m4s',
      '#EXT-X-MAP:URI="init.mp4",BYTERANGE="10@0"',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio.m3u8"',
      '#EXTINF:2,',
      'seg-1.m4s\r',
      '',
    ].join('\n');

    // Act
    const tokenized = tokenizePlaylist(playlist, token);

    // Assess
    expect(tokenized.split('\n')).toEqual([
      '#EXTM3U',
      '# a comment naming x.m4s',
      `#EXT-X-MAP:URI="init.mp4?${token.query}",BYTERANGE="10@0"`,
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio.m3u8?${token.query}"`,
      '#EXTINF:2,',
      `seg-1.m4s?${token.query}\r`,
      '',
    ]);
  });
});
