/**
 * One suite's decision: run, skip (recorded, with the install commands) or, with CI=true, fail.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { checkRequirements } from './check-requirements.ts';
import { type FakeBin, fakeBin } from './fake-bin.ts';
import { readRecords } from './records.ts';
import { ARIA2C, WEBKIT_WEBDRIVER, WGET } from './requirements.ts';

let bin: FakeBin;
let recordsDir: string;

beforeEach(() => {
  bin = fakeBin();
  recordsDir = mkdtempSync(join(tmpdir(), 'media-origin-records-'));
});

afterEach(() => {
  bin.remove();
  rmSync(recordsDir, { recursive: true, force: true });
});

describe('checkRequirements', () => {
  test('with a tool missing and CI unset: skipped, with what is missing, why and how to install it, recorded', () => {
    // Prepare
    bin.add('wget');

    // Act
    const check = checkRequirements('test/e2e/downloads.test.ts', [WGET, ARIA2C], {
      env: { PATH: bin.dir },
      recordsDir,
    });

    // Assess
    expect(check).toMatchObject({ ready: false, outcome: 'skipped' });
    expect(check.ready ? '' : check.message.split('\n')).toEqual([
      'SKIPPED test/e2e/downloads.test.ts: it needs tools this machine does not have (CI=true makes this a failure).',
      '  missing aria2c: aria2c not found on PATH',
      '  install on Debian/Ubuntu: sudo apt-get install --no-install-recommends aria2',
      '  install on macOS: brew install aria2',
    ]);
    expect(readRecords(recordsDir)).toEqual([
      {
        suite: 'test/e2e/downloads.test.ts',
        outcome: 'skipped',
        missing: [{ name: 'aria2c', reason: 'aria2c not found on PATH', install: ARIA2C.install }],
      },
    ]);
  });

  test('with CI=true the same lack is a failure, and is recorded as one', () => {
    // Act
    const check = checkRequirements('test/e2e/webkitgtk-playback.test.ts', [WEBKIT_WEBDRIVER], {
      env: { PATH: bin.dir, CI: 'true' },
      recordsDir,
    });

    // Assess
    expect(check).toMatchObject({ ready: false, outcome: 'failed' });
    expect(check.ready ? '' : check.message).toContain(
      'FAILED test/e2e/webkitgtk-playback.test.ts: it needs tools this machine does not have, and CI=true makes that a failure.',
    );
    expect(check.ready ? '' : check.message).toContain(
      'install on macOS: WebKitGTK does not exist on macOS: this suite only runs on Linux',
    );
    expect(readRecords(recordsDir).map((record) => record.outcome)).toEqual(['failed']);
  });

  test('CI set to anything but "true" still skips', () => {
    // Act
    const check = checkRequirements('s', [ARIA2C], { env: { PATH: bin.dir, CI: '1' }, recordsDir });

    // Assess
    expect(check).toMatchObject({ ready: false, outcome: 'skipped' });
  });

  test('once everything is found the suite runs and its earlier record is removed', () => {
    // Prepare
    const suite = 'test/e2e/downloads.test.ts';
    checkRequirements(suite, [ARIA2C], { env: { PATH: bin.dir }, recordsDir });
    bin.add('aria2c');

    // Act
    const check = checkRequirements(suite, [ARIA2C, ARIA2C], { env: { PATH: bin.dir, CI: 'true' }, recordsDir });

    // Assess
    expect(check).toEqual({ ready: true });
    expect(readdirSync(recordsDir)).toEqual([]);
  });
});
