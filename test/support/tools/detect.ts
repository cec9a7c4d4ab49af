/**
 * How a test finds an external program: an explicit override variable first (e.g. CHROMIUM_PATH), then each
 * name in the directories of PATH, then a few fixed locations that are never on PATH (macOS app bundles,
 * WebKitGTK's MiniBrowser under /usr/lib). Lookups read only the `env` they are given, so a test can point PATH
 * at a directory of its own and see exactly what a machine without the tools would see.
 */

import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export type Detection =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly reason: string };

export type ToolEnv = Readonly<Record<string, string | undefined>>;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every `name` found in PATH's directories, in PATH order (empty entries and relative entries are ignored). */
export function allOnPath(name: string, env: ToolEnv): string[] {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && isAbsolute(dir))
    .map((dir) => join(dir, name))
    .filter(isExecutableFile);
}

/** The first `name` found in PATH's directories, trying `names` in order. */
export function whichOnPath(names: readonly string[], env: ToolEnv): string | undefined {
  for (const name of names) {
    const [first] = allOnPath(name, env);
    if (first !== undefined) return first;
  }
  return undefined;
}

export interface ExecutableLookup {
  /** Names looked up in PATH, in order of preference. */
  readonly names: readonly string[];
  /** A variable naming the executable's full path; when set it is the only place looked at. */
  readonly overrideVar?: string;
  /** Absolute paths tried after PATH (places no package puts on PATH). */
  readonly fixedPaths?: readonly string[];
}

export function findExecutable(lookup: ExecutableLookup, env: ToolEnv): Detection {
  const override = lookup.overrideVar === undefined ? undefined : env[lookup.overrideVar];
  if (override !== undefined && override !== '') {
    return isExecutableFile(override)
      ? { found: true, path: override }
      : { found: false, reason: `${lookup.overrideVar}=${override} is not an executable file` };
  }
  const onPath = whichOnPath(lookup.names, env);
  if (onPath !== undefined) return { found: true, path: onPath };
  const fixed = (lookup.fixedPaths ?? []).find(isExecutableFile);
  if (fixed !== undefined) return { found: true, path: fixed };
  const where = lookup.fixedPaths?.length ? ` nor at ${lookup.fixedPaths.join(', ')}` : '';
  return { found: false, reason: `${lookup.names.join(' / ')} not found on PATH${where}` };
}

export interface ProbeResult {
  readonly ok: boolean;
  /** The last non-empty line of stderr (or stdout), for the reason of a failed probe. */
  readonly detail: string;
}

/**
 * Runs `path args` once (no shell) with `env` and reports whether it exited 0. A probe is a quick question to an
 * installed tool (does this GStreamer element exist, does this Python import work); the timeout only stops a
 * broken install from hanging the test file's load.
 */
export function probe(path: string, args: readonly string[], env: ToolEnv): ProbeResult {
  const result = spawnSync(path, [...args], {
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  if (result.error !== undefined) return { ok: false, detail: result.error.message };
  if (result.status === 0) return { ok: true, detail: '' };
  const lastLine = (text: string) =>
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .at(-1);
  return {
    ok: false,
    detail: lastLine(result.stderr) ?? lastLine(result.stdout) ?? `exited ${result.status ?? result.signal}`,
  };
}
