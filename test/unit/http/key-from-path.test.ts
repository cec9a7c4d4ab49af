import fc from 'fast-check';
import { keyFromPath, MAX_KEY_BYTES } from '../../../lambda/http/key-from-path.ts';

/** Every reason keyFromPath gives: fixed sentences, so none can carry bytes from the path. */
const REASONS = [
  'the path must start with "/"',
  'the path names no object',
  'the path has an invalid percent-encoding',
  'the path is not valid UTF-8',
  'the path is not valid UTF-8 once percent-decoded',
  'the path has an empty segment',
  'the path has a "." or ".." segment',
  'the path contains a control character',
  'the path is too long for an object key',
];

describe('keyFromPath', () => {
  test.each<[string, string, string, string]>([
    ['simple', '/clip.mp4', '', 'clip.mp4'],
    ['folders', '/a/b/c.mp4', '', 'a/b/c.mp4'],
    ['prefix prepended', '/clip.mp4', 'media/', 'media/clip.mp4'],
    ['space', '/my%20clip.mp4', '', 'my clip.mp4'],
    ['plus stays plus (not form-encoded)', '/a+b.mp4', '', 'a+b.mp4'],
    ['%2B is plus', '/a%2Bb.mp4', '', 'a+b.mp4'],
    ['percent sign as %25', '/100%25.mp4', '', '100%.mp4'],
    ['decoded once: %2525 is %25', '/a%2525.mp4', '', 'a%25.mp4'],
    ['%2F is a slash inside the key', '/a%2Fb.mp4', '', 'a/b.mp4'],
    ['equals sign', '/a=b.mp4', '', 'a=b.mp4'],
    ['non-ASCII', '/caf%C3%A9.mp4', '', 'café.mp4'],
    ['astral', '/%F0%9F%8E%AC.mp4', '', '🎬.mp4'],
    ['raw non-ASCII passes', '/café.mp4', '', 'café.mp4'],
    ['lower-case hex', '/caf%c3%a9.mp4', '', 'café.mp4'],
    ['dots inside names', '/a..b/.hidden/...', '', 'a..b/.hidden/...'],
    ['a BOM is kept, not stripped', '/%EF%BB%BFa', '', '\ufeffa'],
    ['exactly 1024 bytes', `/${'a'.repeat(1020)}`, 'pre/', `pre/${'a'.repeat(1020)}`],
  ])('%s: %s', (_name, rawPath, prefix, expected) => {
    // Prepare: the path and prefix above
    // Act
    const result = keyFromPath(rawPath, prefix);
    // Assess
    expect(result).toEqual({ ok: true, key: expected });
  });

  test.each<[string, string, string, string]>([
    ['no leading slash', 'clip.mp4', '', 'the path must start with "/"'],
    ['root', '/', '', 'the path names no object'],
    ['double slash', '/a//b', '', 'the path has an empty segment'],
    ['leading double slash', '//a', '', 'the path has an empty segment'],
    ['trailing slash', '/a/', '', 'the path has an empty segment'],
    ['%2F at the end makes an empty segment', '/a%2F', '', 'the path has an empty segment'],
    ['%2F at the start makes an empty segment', '/%2Fetc/passwd', '', 'the path has an empty segment'],
    ['dot segment', '/a/./b', '', 'the path has a "." or ".." segment'],
    ['dot-dot segment', '/a/../b', '', 'the path has a "." or ".." segment'],
    ['dot-dot alone', '/..', '', 'the path has a "." or ".." segment'],
    ['encoded dot-dot', '/%2e%2e/secret', '', 'the path has a "." or ".." segment'],
    ['mixed encoded dot-dot', '/.%2E/secret', '', 'the path has a "." or ".." segment'],
    ['dot-dot joined with %2F', '/a%2F..%2Fb', '', 'the path has a "." or ".." segment'],
    ['encoded dot', '/a/%2E', '', 'the path has a "." or ".." segment'],
    ['truncated escape', '/a%2', '', 'the path has an invalid percent-encoding'],
    ['trailing percent', '/a%', '', 'the path has an invalid percent-encoding'],
    ['non-hex escape', '/a%zz', '', 'the path has an invalid percent-encoding'],
    ['invalid UTF-8 byte', '/a%FF', '', 'the path is not valid UTF-8 once percent-decoded'],
    ['truncated UTF-8 sequence', '/caf%C3', '', 'the path is not valid UTF-8 once percent-decoded'],
    ['overlong encoding of /', '/a%C0%AFb', '', 'the path is not valid UTF-8 once percent-decoded'],
    ['encoded surrogate', '/%ED%A0%80', '', 'the path is not valid UTF-8 once percent-decoded'],
    ['raw lone surrogate', '/a\ud800', '', 'the path is not valid UTF-8'],
    ['encoded NUL', '/a%00b', '', 'the path contains a control character'],
    ['encoded CR LF', '/a%0D%0Ab', '', 'the path contains a control character'],
    ['encoded tab', '/a%09b', '', 'the path contains a control character'],
    ['DEL', '/a%7Fb', '', 'the path contains a control character'],
    ['C1 control U+0085', '/a%C2%85b', '', 'the path contains a control character'],
    ['raw control character', '/a\u0001b', '', 'the path contains a control character'],
    ['over 1024 bytes with the prefix', `/${'a'.repeat(1021)}`, 'pre/', 'the path is too long for an object key'],
    ['over 1024 bytes in UTF-8', `/${'%C3%A9'.repeat(513)}`, '', 'the path is too long for an object key'],
  ])('%s: refused', (_name, rawPath, prefix, reason) => {
    // Prepare: the path and prefix above
    // Act
    const result = keyFromPath(rawPath, prefix);
    // Assess
    expect(result).toEqual({ ok: false, reason });
  });

  test('property: an accepted key is the prefix plus the decoded path, clean and bounded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', minLength: 1 }), { minLength: 1, maxLength: 5 }),
        (segments) => {
          // Prepare
          const rawPath = `/${segments.map(encodeURIComponent).join('/')}`;
          const decoded = segments.join('/');
          const clean =
            decoded.split('/').every((segment) => !['', '.', '..'].includes(segment)) &&
            !/\p{Cc}/u.test(decoded) &&
            Buffer.byteLength(`p/${decoded}`) <= MAX_KEY_BYTES;
          // Act
          const result = keyFromPath(rawPath, 'p/');
          // Assess
          expect(result.ok).toBe(clean);
          if (!result.ok) return;
          expect(result.key.startsWith('p/')).toBe(true);
          const key = result.key.slice(2);
          expect(key).toBe(segments.join('/'));
          expect(Buffer.byteLength(result.key)).toBeLessThanOrEqual(MAX_KEY_BYTES);
          for (const segment of key.split('/')) expect(['', '.', '..']).not.toContain(segment);
          expect(key).not.toMatch(/\p{Cc}/u);
        },
      ),
    );
  });

  test('property: junk never throws and reasons never echo the path', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('/', '%', '2', 'e', 'F', '.', 'a', 'C', '0', '\u0000', '\r', 'é') }),
        (tail) => {
          // Prepare
          const rawPath = `/${tail}`;
          // Act
          const result = keyFromPath(rawPath, '');
          // Assess
          if (!result.ok) expect(REASONS).toContain(result.reason);
        },
      ),
    );
  });
});
