import { describe, expect, test } from '@jest/globals';
import { expandTemplate } from '../../../lambda/hls/expand-template.ts';
import { type PlaylistAddress, playlistAddress } from '../../../lambda/hls/playlist-address.ts';
import { UnplayableSourceError } from '../../../lambda/hls/unplayable-source.ts';

describe('playlistAddress', () => {
  test.each<[string, PlaylistAddress | undefined]>([
    ['dash/on-demand/manifest.mpd.m3u8', { kind: 'multivariant', mpdKey: 'dash/on-demand/manifest.mpd' }],
    [
      'dash/on-demand/manifest.mpd.1.m3u8',
      { kind: 'representation', mpdKey: 'dash/on-demand/manifest.mpd', representationId: '1' },
    ],
    // Split at the LAST `.mpd.`: an id may itself contain `.mpd.`-free dots, a folder may contain `.mpd`.
    ['a.mpd/b.mpd.video.hd.m3u8', { kind: 'representation', mpdKey: 'a.mpd/b.mpd', representationId: 'video.hd' }],
    ['m.mpd.x.mpd.y.m3u8', { kind: 'representation', mpdKey: 'm.mpd.x.mpd', representationId: 'y' }],
    ['dash/on-demand/media-0.mp4.m3u8', { kind: 'mp4', mp4Key: 'dash/on-demand/media-0.mp4' }],
    ['index.m3u8', { kind: 'mp4', mp4Key: 'index' }],
    ['manifest.mpd', undefined],
    ['.m3u8', undefined],
  ])('%s', (key, expected) => {
    // Act / Assess
    expect(playlistAddress(key)).toEqual(expected);
  });
});

describe('expandTemplate', () => {
  const values = { representationId: 'v1', number: 7, bandwidth: 1500, time: 90000 };
  test.each<[string, string]>([
    ['$RepresentationID$/$Number$.m4s', 'v1/7.m4s'],
    ['chunk-$Number%05d$.m4s', 'chunk-00007.m4s'],
    ['t$Time$-b$Bandwidth%06d$', 't90000-b001500'],
    ['price$$.m4s', 'price$.m4s'],
  ])('%s', (template, expected) => {
    // Act / Assess
    expect(expandTemplate(template, values)).toBe(expected);
  });

  test.each(['$SubNumber$', '$Number', 'a$b', '$RepresentationID%02d$'])('%s is refused', (template) => {
    // Act / Assess
    expect(() => expandTemplate(template, values)).toThrow(UnplayableSourceError);
  });
});
