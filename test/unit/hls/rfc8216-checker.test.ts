/** The RFC 8216 checker itself: it must accept a conforming playlist and name each broken rule. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { MEDIA_ROOT } from '../../support/hls-fixture-reader.ts';
import { checkPlaylist } from '../../support/hls-rfc8216.ts';

const control = readFileSync(path.join(MEDIA_ROOT, 'hls/byterange/index.m3u8'), 'utf8');
const media = (body: string, head = '#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:2\n') => `#EXTM3U\n${head}${body}`;

describe('checkPlaylist', () => {
  test('the ffmpeg-packaged control playlist conforms', () => {
    // Act
    const checked = checkPlaylist(control);

    // Assess
    expect(checked.violations).toEqual([]);
    expect(checked.kind).toBe('media');
    expect(checked.segments).toHaveLength(5);
    expect(checked.map).toEqual({ uri: 'media.mp4', byteRange: { length: 1412, offset: 0 } });
  });

  test.each<[string, string, RegExp]>([
    ['no #EXTM3U', '#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.m4s\n', /EXTM3U/],
    ['EXTINF rounds above the target', media('#EXTINF:2.6,\na.m4s\n'), /rounds above/],
    ['no target duration', '#EXTM3U\n#EXTINF:2,\na.m4s\n', /TARGETDURATION is REQUIRED/],
    [
      'version too low for EXT-X-MAP',
      media('#EXT-X-MAP:URI="i.mp4"\n#EXTINF:2,\na.m4s\n', '#EXT-X-VERSION:5\n#EXT-X-TARGETDURATION:2\n'),
      /below the 6/,
    ],
    [
      'version missing for BYTERANGE',
      media('#EXTINF:2,\n#EXT-X-BYTERANGE:10@0\na.mp4\n', '#EXT-X-TARGETDURATION:2\n'),
      /below the 4/,
    ],
    ['MAP BYTERANGE without offset', media('#EXT-X-MAP:URI="i.mp4",BYTERANGE="10"\n#EXTINF:2,\na.m4s\n'), /offset/],
    ['tag twice', media('#EXT-X-ENDLIST\n#EXT-X-ENDLIST\n#EXTINF:2,\na.m4s\n'), /ENDLIST appears more than once/],
    ['mixed kinds', media('#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n#EXTINF:2,\na.m4s\n'), /media and multivariant/],
    ['STREAM-INF without BANDWIDTH', '#EXTM3U\n#EXT-X-STREAM-INF:CODECS="avc1"\nv.m3u8\n', /BANDWIDTH/],
    ['unknown AUDIO group', '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO="a"\nv.m3u8\n', /names no EXT-X-MEDIA group/],
    [
      'two DEFAULT=YES renditions',
      '#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="x",DEFAULT=YES,URI="x.m3u8"\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="y",DEFAULT=YES,URI="y.m3u8"\n#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO="a"\nv.m3u8\n',
      /more than one DEFAULT/,
    ],
    [
      'MEDIA without NAME',
      '#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a"\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n',
      /NAME/,
    ],
    ['FRAME-RATE with 4 decimals', '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,FRAME-RATE=23.9760\nv.m3u8\n', /FRAME-RATE/],
    ['duplicate attribute', '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,BANDWIDTH=2\nv.m3u8\n', /twice/],
  ])('%s is reported', (_name, text, expected) => {
    // Act
    const checked = checkPlaylist(text);

    // Assess
    expect(checked.violations.join('\n')).toMatch(expected);
  });
});
