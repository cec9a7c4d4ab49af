/**
 * The requirement list: probes that ask an installed tool (GStreamer's registry, Python's imports) decide from
 * what that tool answers, every requirement says how to install it on both systems, and .ci/run installs every
 * Debian package named here.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type FakeBin, fakeBin } from './fake-bin.ts';
import { repoRoot } from './records.ts';
import { ALL_REQUIREMENTS, ARIA2C, CHROMIUM, gstElement, pythonGst } from './requirements.ts';

let bin: FakeBin;

beforeEach(() => {
  bin = fakeBin();
});

afterEach(() => {
  bin.remove();
});

describe('gstElement', () => {
  const souphttpsrc = gstElement('souphttpsrc', 'gstreamer1.0-plugins-good');

  test('is found when `gst-inspect-1.0 --exists <element>` exits 0', () => {
    // Prepare: a gst-inspect-1.0 whose registry holds souphttpsrc only.
    const inspect = bin.add('gst-inspect-1.0', '[ "$1" = "--exists" ] && [ "$2" = "souphttpsrc" ] && exit 0; exit 1');

    // Act
    const found = souphttpsrc.detect({ PATH: bin.dir });
    const missing = gstElement('hlsdemux', 'gstreamer1.0-plugins-bad').detect({ PATH: bin.dir });

    // Assess
    expect(found).toEqual({ found: true, path: inspect });
    expect(missing).toEqual({ found: false, reason: '`gst-inspect-1.0 --exists hlsdemux` says it is not installed' });
  });

  test('without gst-inspect-1.0 on PATH the reason says so', () => {
    // Act
    const detection = souphttpsrc.detect({ PATH: bin.dir });

    // Assess
    expect(detection).toEqual({
      found: false,
      reason: 'gst-inspect-1.0 (gstreamer1.0-tools) not found on PATH to look for it',
    });
    expect(souphttpsrc.install.debian.packages).toEqual(['gstreamer1.0-plugins-good']);
  });
});

describe('pythonGst', () => {
  test('is the first python3 (on PATH, then the fallback) that can import gi and load GStreamer', () => {
    // Prepare: a python3 without gi first on PATH (as pyenv's shim), one that accepts the import line after it.
    const shadow = fakeBin();
    shadow.add('python3', `echo "ModuleNotFoundError: No module named 'gi'" >&2; exit 1`);
    const python = bin.add('python3', 'case "$2" in *"from gi.repository import Gst"*) exit 0;; esac; exit 1');

    // Act
    const onPath = pythonGst('/nonexistent/python3').detect({ PATH: `${shadow.dir}:${bin.dir}` });
    const fallback = pythonGst(python).detect({ PATH: shadow.dir });
    shadow.remove();

    // Assess
    expect(onPath).toEqual({ found: true, path: python });
    expect(fallback).toEqual({ found: true, path: python });
  });

  test("names Python's own error for each python3 tried, and says so when there is none", () => {
    // Prepare
    const python = bin.add('python3', `echo "ModuleNotFoundError: No module named 'gi'" >&2; exit 1`);

    // Act
    const broken = pythonGst('/nonexistent/python3').detect({ PATH: bin.dir });
    const absent = pythonGst('/nonexistent/python3').detect({ PATH: '' });

    // Assess
    expect(broken).toEqual({ found: false, reason: `${python}: ModuleNotFoundError: No module named 'gi'` });
    expect(absent).toEqual({ found: false, reason: 'python3 not found on PATH nor at /nonexistent/python3' });
  });
});

describe('executables', () => {
  test('CHROMIUM takes chromium-browser too, and CHROMIUM_PATH over PATH', () => {
    // Prepare
    const browser = bin.add('chromium-browser');
    const pinned = bin.add('chrome');

    // Act / Assess
    expect(CHROMIUM.detect({ PATH: bin.dir })).toEqual({ found: true, path: browser });
    expect(CHROMIUM.detect({ PATH: bin.dir, CHROMIUM_PATH: pinned })).toEqual({ found: true, path: pinned });
    expect(ARIA2C.detect({ PATH: bin.dir })).toEqual({ found: false, reason: 'aria2c not found on PATH' });
  });
});

describe('the list', () => {
  test('every requirement names Debian packages and either Homebrew installs or why macOS cannot have it', () => {
    for (const requirement of ALL_REQUIREMENTS) {
      // Assess
      expect({ name: requirement.name, debian: requirement.install.debian.packages.length > 0 }).toEqual({
        name: requirement.name,
        debian: true,
      });
      const mac = requirement.install.macos;
      const macSaysSomething =
        'unavailable' in mac ? mac.unavailable.length > 0 : (mac.brew?.length ?? 0) + (mac.cask?.length ?? 0) > 0;
      expect({ name: requirement.name, macSaysSomething }).toEqual({ name: requirement.name, macSaysSomething: true });
    }
  });

  test('.ci/run installs every Debian package a requirement names', () => {
    // Prepare: the packages .ci/run adds to its apt-get install list (`missing+=(package)`).
    const script = readFileSync(`${repoRoot}/.ci/run`, 'utf8');
    const installed = new Set([...script.matchAll(/missing\+=\(([^)\s]+)\)/g)].map((match) => match[1]));
    const named = new Set(ALL_REQUIREMENTS.flatMap((requirement) => requirement.install.debian.packages));

    // Assess
    expect([...named].filter((name) => !installed.has(name))).toEqual([]);
  });
});
