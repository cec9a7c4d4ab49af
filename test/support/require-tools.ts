/**
 * The first line of every suite that needs an external program (a browser, a player, a download tool):
 *
 *   const { describe, test } = requireTools(CHROMIUM, FFMPEG);
 *
 * It shadows jest's `describe` / `test` / `it` for the rest of the file. With everything found they are jest's
 * own; with something missing they are the `.skip` variants (so no test and no beforeAll/afterAll of the file
 * runs: jest runs a block's hooks only when it has an enabled test), a loud message names what is missing and
 * how to install it, and `npm test` lists the suite in its closing summary. With CI=true a missing tool instead
 * fails the suite with the same message.
 */
import { relative } from 'node:path';
import { describe, expect, it, test } from '@jest/globals';
import { checkRequirements } from './tools/check-requirements.ts';
import { repoRoot } from './tools/records.ts';
import { MissingToolError, type Requirement } from './tools/requirements.ts';

export interface GatedGlobals {
  readonly describe: typeof describe.skip;
  readonly test: typeof test.skip;
  readonly it: typeof it.skip;
}

export function requireTools(...requirements: Requirement[]): GatedGlobals {
  const testPath = expect.getState().testPath;
  const suite = testPath === undefined ? 'this suite' : relative(repoRoot, testPath);
  const check = checkRequirements(suite, requirements);
  if (check.ready) return { describe, test, it };
  if (check.outcome === 'failed') throw new MissingToolError(check.message);
  // Straight to stderr: jest prints no console output of a file whose tests were all skipped.
  process.stderr.write(`\n${check.message}\n\n`);
  return { describe: describe.skip, test: test.skip, it: it.skip };
}
