import fc from 'fast-check';
import { contentDisposition, downloadFilename } from '../../../lambda/http/content-disposition.ts';

/** What an RFC 8187-aware recipient reads from filename*. */
const decodeExtValue = (header: string): string => {
  const match = /filename\*=UTF-8''([^;\s]*)$/.exec(header);
  if (match === null) throw new Error(`no filename* in ${header}`);
  return decodeURIComponent(match[1] ?? '');
};

describe('contentDisposition (RFC 6266, RFC 8187)', () => {
  test.each([
    ['plain ASCII', 'clip.mp4', `attachment; filename="clip.mp4"; filename*=UTF-8''clip.mp4`],
    ['space', 'my clip.mp4', `attachment; filename="my clip.mp4"; filename*=UTF-8''my%20clip.mp4`],
    ['non-ASCII', 'café €.mp4', `attachment; filename="caf_ _.mp4"; filename*=UTF-8''caf%C3%A9%20%E2%82%AC.mp4`],
    [
      'astral character is one placeholder',
      '🎬.mp4',
      `attachment; filename="_.mp4"; filename*=UTF-8''%F0%9F%8E%AC.mp4`,
    ],
    ['quote and backslash', 'a"b\\c.mp4', `attachment; filename="a_b_c.mp4"; filename*=UTF-8''a%22b%5Cc.mp4`],
    [
      'percent (some recipients decode the fallback)',
      '100%.mp4',
      `attachment; filename="100_.mp4"; filename*=UTF-8''100%25.mp4`,
    ],
    ['semicolon and comma', 'a;b,c.mp4', `attachment; filename="a_b,c.mp4"; filename*=UTF-8''a%3Bb%2Cc.mp4`],
    [
      'CR LF injection',
      'a.mp4\r\nSet-Cookie: x=1',
      `attachment; filename="a.mp4__Set-Cookie: x=1"; filename*=UTF-8''a.mp4__Set-Cookie%3A%20x%3D1`,
    ],
    ['NUL, DEL and C1', 'a\u0000b\u007fc\u0085d', `attachment; filename="a_b_c_d"; filename*=UTF-8''a_b_c_d`],
    ['attr-chars stay', 'a!#$&+-.^_`|~z', `attachment; filename="a!#$&+-.^_\`|~z"; filename*=UTF-8''a!#$&+-.^_\`|~z`],
    ['empty becomes download', '', `attachment; filename="download"; filename*=UTF-8''download`],
    ['lone surrogate does not throw', 'a\ud800b', `attachment; filename="a_b"; filename*=UTF-8''a%EF%BF%BDb`],
  ])('%s', (_name, filename, expected) => {
    // Prepare: the filename above
    // Act
    const header = contentDisposition(filename);
    // Assess
    expect(header).toBe(expected);
  });

  test('property: one line, three parameters, and filename* decodes to the name without control characters', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((name) => name.length > 0),
        (name) => {
          // Prepare
          const expected = name.replace(/\p{Cc}/gu, '_');
          // Act
          const header = contentDisposition(name);
          // Assess
          expect(header).toMatch(
            /^attachment; filename="[\x20\x21\x23-\x24\x26-\x3a\x3c-\x5b\x5d-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*$/,
          );
          expect(decodeExtValue(header)).toBe(expected);
        },
      ),
    );
  });
});

describe('downloadFilename', () => {
  test.each<[string, string, Record<string, string | undefined>, string | undefined]>([
    ['no download parameter', 'media/clip.mp4', {}, undefined],
    ['other parameters only', 'media/clip.mp4', { v: '1' }, undefined],
    ['requested name', 'media/clip.mp4', { download: 'holiday.mp4' }, 'holiday.mp4'],
    ["empty value: the key's last segment", 'media/clip.mp4', { download: '' }, 'clip.mp4'],
    ["blank value: the key's last segment", 'media/clip.mp4', { download: '   ' }, 'clip.mp4'],
    ['key without folders', 'clip.mp4', { download: '' }, 'clip.mp4'],
    ['slashes become _', 'media/clip.mp4', { download: '../../etc/passwd' }, '.._.._etc_passwd'],
    ['backslashes become _', 'media/clip.mp4', { download: '..\\..\\boot.ini' }, '.._.._boot.ini'],
    ['control characters become _', 'media/clip.mp4', { download: 'a\r\nb.mp4' }, 'a__b.mp4'],
    ['dot falls back to the key', 'media/clip.mp4', { download: '.' }, 'clip.mp4'],
    ['dot-dot falls back to the key', 'media/clip.mp4', { download: '..' }, 'clip.mp4'],
    ['non-ASCII kept (encoded later)', 'media/clip.mp4', { download: 'vidéo.mp4' }, 'vidéo.mp4'],
    ['surrounding whitespace trimmed', 'media/clip.mp4', { download: '  a.mp4 ' }, 'a.mp4'],
    ['a key ending in a control character still gives a safe name', 'a/b\u0001', { download: '' }, 'b_'],
  ])('%s', (_name, key, query, expected) => {
    // Prepare: the key and query above
    // Act
    const name = downloadFilename(key, query);
    // Assess
    expect(name).toBe(expected);
  });

  test('very long names are cut to 200 characters', () => {
    // Prepare
    const query = { download: `${'é'.repeat(500)}.mp4` };
    // Act
    const name = downloadFilename('k', query);
    // Assess
    expect(name).toBe('é'.repeat(200));
  });

  test('property: never a path, never a control character, never empty', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (key, requested) => {
        // Prepare / Act
        const name = downloadFilename(key, { download: requested });
        // Assess
        expect(name).toBeDefined();
        expect(name).not.toMatch(/[/\\\p{Cc}]/u);
        expect(['', '.', '..']).not.toContain(name);
      }),
    );
  });
});
