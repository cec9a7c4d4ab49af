/**
 * Where a cold start's CPU goes, from a V8 CPU profile (`--cpu-prof`) of one cold start under the runtime
 * interface client (bench/measure/ric-cold-start.ts `profiledColdStart`). Each sample is put in one phase by its
 * stack:
 * - import: under the bundle's module top level (esbuild's one module: every bundled module's top-level code,
 *   the handler's init included: config, S3 client, middy);
 * - first request: under any other bundle function (the handler and what it calls);
 * - runtime: everything else (Node's start-up, the runtime client, GC and idle are listed apart).
 * Inside the bundle, a sample is charged to the source module of its innermost bundle frame, found through the
 * bundle's source map (function start positions), and modules are grouped by npm package (project files by
 * folder), so "import by module" reads e.g. `@aws-sdk/client-s3 12 ms, lambda/storage 3 ms`.
 *
 * `node bench/profile/cold-start-breakdown.ts PROFILE BUNDLE` (BUNDLE: the index.mjs the profile ran, with its
 * .map) prints the breakdown as JSON.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ColdStartBreakdown {
  /** Sampled time up to the end of the first request, ms (profiling slows the process: read the shares). */
  readonly totalMs: number;
  readonly phases: {
    /** Node's start-up and the runtime client, before the bundle. */
    readonly runtimeStartMs: number;
    /** V8 compiling the bundle (node's ESM loader, after the runtime client asked for the handler). */
    readonly bundleCompileMs: number;
    /** Loading and parsing the bundle's source map (only with --enable-source-maps). */
    readonly sourceMapMs: number;
    /** The bundle's top level: every module's init, the handler's (config, S3 client, middy) included. */
    readonly importMs: number;
    /** Bundle code during the first request (the handler and what it calls). */
    readonly firstRequestMs: number;
    /** Node and the runtime client during the first request (event fetch, response POST, sockets). */
    readonly runtimeDuringRequestMs: number;
    readonly gcMs: number;
    readonly idleMs: number;
  };
  /** Bundle import time by module group, largest first. */
  readonly importByModule: ReadonlyArray<{ readonly module: string; readonly ms: number }>;
  /** First-request time by module group, largest first. */
  readonly firstRequestByModule: ReadonlyArray<{ readonly module: string; readonly ms: number }>;
}

/** `node_modules/@aws-sdk/client-s3/dist-es/...` -> `@aws-sdk/client-s3`; `lambda/storage/x.ts` -> `lambda/storage`. */
export function moduleGroup(source: string): string {
  const at = source.lastIndexOf('node_modules/');
  if (at >= 0) {
    const rest = source.slice(at + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? source);
  }
  const parts = source.replace(/^(\.\.\/)+/, '').split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts.join('/');
}

function sorted(map: Map<string, number>): Array<{ module: string; ms: number }> {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).map(([module, us]) => ({ module, ms: us / 1000 }));
}

const isTopLevel = (frame: CallFrame): boolean =>
  frame.functionName === '' && frame.lineNumber === 0 && frame.columnNumber === 0;

export function breakdown(profile: CpuProfile, bundleFile: string): ColdStartBreakdown {
  // The profile names scripts by their real path (node_modules may be a symbolic link).
  const bundleUrl = pathToFileURL(realpathSync(bundleFile)).href;
  let map: SourceMap | undefined;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${bundleFile}.map`, 'utf8')));
  } catch {
    map = undefined;
  }
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const stackOf = (leaf: ProfileNode): CallFrame[] => {
    const frames: CallFrame[] = [];
    for (let node: ProfileNode | undefined = leaf; node !== undefined; node = byId.get(parent.get(node.id) ?? -1)) {
      frames.push(node.callFrame);
    }
    return frames;
  };
  const sourceCache = new Map<string, string>();
  const sourceOf = (frame: CallFrame): string => {
    if (isTopLevel(frame)) return '(bundle top level)';
    const key = `${frame.lineNumber}:${frame.columnNumber}`;
    let found = sourceCache.get(key);
    if (found === undefined) {
      const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined;
      found = entry?.originalSource === undefined ? '(bundle, unmapped)' : moduleGroup(entry.originalSource);
      sourceCache.set(key, found);
    }
    return found;
  };
  const stacks = profile.samples.map((id) => {
    const leaf = byId.get(id);
    return leaf === undefined ? [] : stackOf(leaf);
  });
  // The first request ends with the last sample in bundle code (what follows is the client waiting for work).
  let last = -1;
  stacks.forEach((frames, index) => {
    if (frames.some((f) => f.url === bundleUrl)) last = index;
  });
  const us = {
    runtimeStart: 0,
    bundleCompile: 0,
    sourceMap: 0,
    import: 0,
    firstRequest: 0,
    runtimeDuringRequest: 0,
    gc: 0,
    idle: 0,
  };
  const importBy = new Map<string, number>();
  const requestBy = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, value: number): void => {
    m.set(k, (m.get(k) ?? 0) + value);
  };
  let total = 0;
  let clientRunning = false;
  let bundleSeen = false;
  for (let index = 0; index <= last; index++) {
    const frames = stacks[index] ?? [];
    const delta = profile.timeDeltas[index + 1] ?? 0; // a sample lasts until the next one
    total += delta;
    const leafName = frames[0]?.functionName ?? '';
    if (frames.some((f) => f.url.includes('aws-lambda-ric'))) clientRunning = true;
    const innermost = frames.find((f) => f.url === bundleUrl);
    if (leafName === '(idle)') us.idle += delta;
    else if (leafName === '(garbage collector)') us.gc += delta;
    else if (frames.some((f) => f.url.includes('source_map'))) us.sourceMap += delta;
    else if (innermost !== undefined) {
      bundleSeen = true;
      if (frames.some(isTopLevel) && frames.some((f) => f.url === bundleUrl && isTopLevel(f))) {
        us.import += delta;
        add(importBy, sourceOf(innermost), delta);
      } else {
        us.firstRequest += delta;
        add(requestBy, sourceOf(innermost), delta);
      }
    } else if (clientRunning && !bundleSeen && frames.some((f) => f.functionName === 'compileSourceTextModule')) {
      // The runtime client is one ES module, compiled before it runs: a module compiled after it started is the bundle.
      us.bundleCompile += delta;
    } else if (bundleSeen) us.runtimeDuringRequest += delta;
    else us.runtimeStart += delta;
  }
  const toMs = (value: number): number => value / 1000;
  return {
    totalMs: toMs(total),
    phases: {
      runtimeStartMs: toMs(us.runtimeStart),
      bundleCompileMs: toMs(us.bundleCompile),
      sourceMapMs: toMs(us.sourceMap),
      importMs: toMs(us.import),
      firstRequestMs: toMs(us.firstRequest),
      runtimeDuringRequestMs: toMs(us.runtimeDuringRequest),
      gcMs: toMs(us.gc),
      idleMs: toMs(us.idle),
    },
    importByModule: sorted(importBy),
    firstRequestByModule: sorted(requestBy),
  };
}

export function breakdownOfFile(profileFile: string, bundleFile: string): ColdStartBreakdown {
  return breakdown(JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile, bundleFile);
}

if (import.meta.main) {
  const [profileFile, bundleFile] = process.argv.slice(2);
  if (profileFile === undefined || bundleFile === undefined) {
    throw new Error('usage: node bench/profile/cold-start-breakdown.ts PROFILE BUNDLE');
  }
  process.stdout.write(`${JSON.stringify(breakdownOfFile(profileFile, bundleFile), null, 1)}\n`);
}
