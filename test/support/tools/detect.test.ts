/**
 * Finding executables reads only the env it is given: a fake PATH directory decides what exists.
 */
import { basename, dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { findExecutable, probe, whichOnPath } from './detect.ts';
import { type FakeBin, fakeBin } from './fake-bin.ts';

let bin: FakeBin;
let other: FakeBin;

beforeEach(() => {
  bin = fakeBin();
  other = fakeBin();
});

afterEach(() => {
  bin.remove();
  other.remove();
});

describe('whichOnPath', () => {
  test('finds an executable file in a PATH directory, preferring the first name, then the first directory', () => {
    // Prepare
    bin.add('chromium');
    const early = other.add('chromium');
    bin.add('chromium-browser');
    const env = { PATH: [other.dir, bin.dir].join(':') };

    // Act / Assess
    expect(whichOnPath(['chromium', 'chromium-browser'], env)).toBe(early);
    expect(whichOnPath(['chromium-browser', 'chromium'], env)).toBe(`${bin.dir}/chromium-browser`);
  });

  test('ignores a file without the execute bit, a directory of the same name, and relative PATH entries', () => {
    // Prepare
    bin.add('aria2c', 'exit 0', { executable: false });
    other.add('wget');

    // Act / Assess
    expect(whichOnPath(['aria2c'], { PATH: bin.dir })).toBeUndefined();
    expect(whichOnPath([basename(bin.dir)], { PATH: dirname(bin.dir) })).toBeUndefined();
    expect(whichOnPath(['wget'], { PATH: `relative/dir::${other.dir}` })).toBe(`${other.dir}/wget`);
  });

  test('finds nothing with PATH unset or empty', () => {
    // Prepare
    bin.add('curl');

    // Act / Assess
    expect(whichOnPath(['curl'], {})).toBeUndefined();
    expect(whichOnPath(['curl'], { PATH: '' })).toBeUndefined();
  });
});

describe('findExecutable', () => {
  test('an override variable, when set, is the only place looked at', () => {
    // Prepare
    const onPath = bin.add('firefox-esr');
    const pinned = other.add('my-firefox');
    const lookup = { names: ['firefox-esr'], overrideVar: 'FIREFOX_PATH' };

    // Act
    const pinnedFound = findExecutable(lookup, { PATH: bin.dir, FIREFOX_PATH: pinned });
    const pinnedMissing = findExecutable(lookup, { PATH: bin.dir, FIREFOX_PATH: `${other.dir}/nope` });
    const unset = findExecutable(lookup, { PATH: bin.dir });

    // Assess
    expect(pinnedFound).toEqual({ found: true, path: pinned });
    expect(pinnedMissing).toEqual({
      found: false,
      reason: `FIREFOX_PATH=${other.dir}/nope is not an executable file`,
    });
    expect(unset).toEqual({ found: true, path: onPath });
  });

  test('falls back to fixed paths, and names every place looked at when nothing is found', () => {
    // Prepare
    const fixed = other.add('MiniBrowser');
    const lookup = { names: ['MiniBrowser'], fixedPaths: [`${bin.dir}/MiniBrowser`, fixed] };

    // Act
    const found = findExecutable(lookup, { PATH: '' });
    const missing = findExecutable({ names: ['MiniBrowser'], fixedPaths: [`${bin.dir}/MiniBrowser`] }, { PATH: '' });

    // Assess
    expect(found).toEqual({ found: true, path: fixed });
    expect(missing).toEqual({
      found: false,
      reason: `MiniBrowser not found on PATH nor at ${bin.dir}/MiniBrowser`,
    });
  });
});

describe('probe', () => {
  test('exit 0 is ok; otherwise the last line of stderr is the detail', () => {
    // Prepare
    const yes = bin.add('yes-tool', 'exit 0');
    const no = bin.add('no-tool', 'echo "first" >&2; echo "ModuleNotFoundError: No module named gi" >&2; exit 1');
    const quiet = bin.add('quiet-tool', 'exit 3');

    // Act / Assess
    expect(probe(yes, [], { PATH: bin.dir })).toEqual({ ok: true, detail: '' });
    expect(probe(no, [], { PATH: bin.dir })).toEqual({ ok: false, detail: 'ModuleNotFoundError: No module named gi' });
    expect(probe(quiet, [], { PATH: bin.dir })).toEqual({ ok: false, detail: 'exited 3' });
  });
});
