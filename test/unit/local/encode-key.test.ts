import { describe, expect, it } from '@jest/globals';
import { keyFromPath } from '../../../lambda/http/key-from-path.ts';
import { encodeKey } from '../../../local/demo/encode-key.ts';

describe('encodeKey (the demo page builds media URLs with it)', () => {
  it.each([
    ['sample.mp4', 'sample.mp4'],
    ['dir with space/a+b%c=d é.mp4', 'dir%20with%20space/a%2Bb%25c%3Dd%20%C3%A9.mp4'],
    ["it's (1)!*.mp3", 'it%27s%20%281%29%21%2A.mp3'],
    ['hls/fmp4/index.m3u8', 'hls/fmp4/index.m3u8'],
  ])('%s -> %s', (key, encoded) => {
    // Act
    const result = encodeKey(key);

    // Assess
    expect(result).toBe(encoded);
  });

  it('round-trips through the handler key decoding for awkward keys', () => {
    // Prepare
    const keys = ['a b/c+d%e=f.mp4', 'ünïcødé/日本語.webm', 'x/%2F/y.ts'];

    // Act
    const decoded = keys.map((key) => keyFromPath(`/${encodeKey(key)}`, ''));

    // Assess
    expect(decoded).toEqual(keys.map((key) => ({ ok: true, key })));
  });
});
