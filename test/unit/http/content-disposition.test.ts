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
          const expected = name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '_');
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

/** Characters that reorder or hide text; each must come out as `_` in both forms. */
const SPOOFING: readonly [string, string][] = [
  ['U+202A LEFT-TO-RIGHT EMBEDDING', '\u202a'],
  ['U+202B RIGHT-TO-LEFT EMBEDDING', '\u202b'],
  ['U+202C POP DIRECTIONAL FORMATTING', '\u202c'],
  ['U+202D LEFT-TO-RIGHT OVERRIDE', '\u202d'],
  ['U+202E RIGHT-TO-LEFT OVERRIDE', '\u202e'],
  ['U+2066 LEFT-TO-RIGHT ISOLATE', '\u2066'],
  ['U+2067 RIGHT-TO-LEFT ISOLATE', '\u2067'],
  ['U+2068 FIRST STRONG ISOLATE', '\u2068'],
  ['U+2069 POP DIRECTIONAL ISOLATE', '\u2069'],
  ['U+200E LEFT-TO-RIGHT MARK', '\u200e'],
  ['U+200F RIGHT-TO-LEFT MARK', '\u200f'],
  ['U+061C ARABIC LETTER MARK', '\u061c'],
  ['U+200B ZERO WIDTH SPACE', '\u200b'],
  ['U+200C ZERO WIDTH NON-JOINER', '\u200c'],
  ['U+200D ZERO WIDTH JOINER', '\u200d'],
  ['U+2060 WORD JOINER', '\u2060'],
  ['U+2061 FUNCTION APPLICATION', '\u2061'],
  ['U+2062 INVISIBLE TIMES', '\u2062'],
  ['U+2063 INVISIBLE SEPARATOR', '\u2063'],
  ['U+2064 INVISIBLE PLUS', '\u2064'],
  ['U+FEFF ZERO WIDTH NO-BREAK SPACE', '\ufeff'],
  ['U+180E MONGOLIAN VOWEL SEPARATOR', '\u180e'],
  ['U+00AD SOFT HYPHEN', '\u00ad'],
  ['U+2028 LINE SEPARATOR', '\u2028'],
  ['U+2029 PARAGRAPH SEPARATOR', '\u2029'],
  ['U+E0001 LANGUAGE TAG', '\u{e0001}'],
  ['U+E0041 TAG LATIN CAPITAL LETTER A', '\u{e0041}'],
  ['U+E007F CANCEL TAG', '\u{e007f}'],
  ['U+0085 NEXT LINE (C1)', '\u0085'],
  ['U+0009 TAB (C0)', '\t'],
];

describe('contentDisposition: characters that reorder or hide text', () => {
  const positions: readonly [string, (char: string) => string, string][] = [
    ['at the start', (char) => `${char}gpj.exe`, '_gpj.exe'],
    ['in the middle', (char) => `photo${char}gpj.exe`, 'photo_gpj.exe'],
    ['at the end', (char) => `clip.mp4${char}`, 'clip.mp4_'],
  ];
  test.each(
    SPOOFING.flatMap(([name, char]) =>
      positions.map(([where, place, shown]) => [name, where, place(char), shown] as const),
    ),
  )('%s %s becomes _ in filename and filename*', (_name, _where, filename, shown) => {
    // Act
    const header = contentDisposition(filename);

    // Assess
    expect(header).toBe(`attachment; filename="${shown}"; filename*=UTF-8''${shown}`);
  });

  test('mixed: the right-to-left override trick, isolates, a BOM and a tag sequence', () => {
    // Prepare
    const filename = '\ufeffinvoice\u202e\u2066fdp\u2069.exe\u{e0041}\u{e007f}';

    // Act
    const header = contentDisposition(filename);

    // Assess
    expect(header).toBe(`attachment; filename="_invoice__fdp_.exe__"; filename*=UTF-8''_invoice__fdp_.exe__`);
  });

  test('letters of right-to-left scripts stay (only the invisible controls go)', () => {
    // Act
    const header = contentDisposition('\u05e9\u05dc\u05d5\u05dd\u200f.mp4');

    // Assess
    expect(decodeExtValue(header)).toBe('\u05e9\u05dc\u05d5\u05dd_.mp4');
  });

  test('property: for any string, neither form holds a control, format or separator character, and both parse back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        // Act
        const header = contentDisposition(name);

        // Assess
        const match = /^attachment; filename="([^"]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*)$/.exec(header);
        expect(match).not.toBeNull();
        const fallback = match?.[1] ?? '';
        const exact = decodeURIComponent(match?.[2] ?? '');
        expect(fallback).toMatch(/^[\x20\x21\x23\x24\x26-\x3a\x3c-\x5b\x5d-\x7e]+$/);
        expect(exact).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
        expect(exact).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\ufeff]/u);
        // Safe characters come through unchanged, one `_` per unsafe one (lone surrogates as U+FFFD).
        const expected = name === '' ? 'download' : name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '_').toWellFormed();
        expect(exact).toBe(expected);
        expect([...fallback]).toHaveLength([...exact].length);
      }),
      { numRuns: 2000 },
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
    ['a right-to-left override becomes _', 'media/clip.mp4', { download: '\u202egpj.exe' }, '_gpj.exe'],
    ['a key with a right-to-left override', 'a/\u202egpj.exe', { download: '' }, '_gpj.exe'],
    ['a byte order mark is not trimmed away but shown', 'media/clip.mp4', { download: '\ufeffa.mp4' }, '_a.mp4'],
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
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (key, requested) => {
        // Prepare / Act
        const name = downloadFilename(key, { download: requested });
        // Assess
        expect(name).toBeDefined();
        expect(name).not.toMatch(/[/\\\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
        expect(['', '.', '..']).not.toContain(name);
      }),
    );
  });
});
