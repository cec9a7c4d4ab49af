/**
 * A suite that could not run for lack of a tool leaves a record under test-output/ (git-ignored), one JSON file
 * per suite, so the summary printed at the end of `npm test` can name every such suite even though jest's
 * workers and the runtime-client run are separate processes. A suite that does run removes its record, so a
 * record always describes the suite's latest run.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MissingTool, Outcome } from './install-hints.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const DEFAULT_RECORDS_DIR = join(repoRoot, 'test-output', 'missing-tools');

export interface MissingToolsRecord {
  readonly suite: string;
  readonly outcome: Outcome;
  readonly missing: readonly MissingTool[];
}

function recordFile(dir: string, suite: string): string {
  return join(dir, `${suite.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
}

export function writeRecord(dir: string, record: MissingToolsRecord): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(recordFile(dir, record.suite), `${JSON.stringify(record, null, 2)}\n`);
}

export function removeRecord(dir: string, suite: string): void {
  rmSync(recordFile(dir, suite), { force: true });
}

export function readRecords(dir: string): MissingToolsRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as MissingToolsRecord)
    .sort((a, b) => a.suite.localeCompare(b.suite));
}

export function clearRecords(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
