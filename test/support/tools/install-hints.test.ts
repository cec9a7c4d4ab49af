/**
 * Install commands merged over several missing tools: one apt-get line, one brew line, one cask line, and the
 * things macOS cannot have said in words.
 */
import { describe, expect, test } from '@jest/globals';
import { debianInstall, macosInstall, missingLines, missingTool } from './install-hints.ts';
import {
  ARIA2C,
  AWS_LAMBDA_RIC,
  CHROMIUM,
  FFMPEG,
  FFPROBE,
  FIREFOX,
  WEBKIT_WEBDRIVER,
  XVFB,
  XVFB_RUN,
} from './requirements.ts';

const missing = (...requirements: Parameters<typeof missingTool>[0][]) =>
  requirements.map((requirement) => missingTool(requirement, 'not found'));

describe('debianInstall', () => {
  test('names each package once, then the steps after apt-get', () => {
    // Act
    const line = debianInstall(missing(FFMPEG, FFPROBE, XVFB_RUN, XVFB, AWS_LAMBDA_RIC));

    // Assess
    expect(line).toBe(
      'sudo apt-get install --no-install-recommends ffmpeg xvfb cmake make g++ python3 xz-utils && npm run ric:install',
    );
  });
});

describe('macosInstall', () => {
  test('formulas, casks, then notes (what to do instead, what cannot run on macOS)', () => {
    // Act
    const line = macosInstall(missing(FFMPEG, FFPROBE, CHROMIUM, FIREFOX, WEBKIT_WEBDRIVER, XVFB));

    // Assess
    expect(line).toBe(
      'brew install ffmpeg && brew install --cask chromium firefox; ' +
        'or set CHROMIUM_PATH to an installed Chrome or Chromium executable; ' +
        'WebKitGTK does not exist on macOS: this suite only runs on Linux',
    );
  });

  test('only a note when nothing can be installed', () => {
    // Act / Assess
    expect(macosInstall(missing(WEBKIT_WEBDRIVER))).toBe(
      'WebKitGTK does not exist on macOS: this suite only runs on Linux',
    );
  });
});

describe('missingLines', () => {
  test('tools missing for the same reason share one line, in the order first seen', () => {
    // Prepare
    const tools = [
      missingTool(FFMPEG, 'gst-inspect-1.0 not found'),
      missingTool(ARIA2C, 'aria2c not found on PATH'),
      missingTool(FFPROBE, 'gst-inspect-1.0 not found'),
    ];

    // Act / Assess
    expect(missingLines(tools, '  ')).toEqual([
      '  missing ffmpeg, ffprobe: gst-inspect-1.0 not found',
      '  missing aria2c: aria2c not found on PATH',
    ]);
  });
});
