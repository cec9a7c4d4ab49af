/**
 * The decision for one suite (or script): every requirement found -> run; something missing -> skipped, or
 * failed when CI=true (a CI machine is meant to have everything, so a missing tool there is a broken image, not a
 * reason to go green). Either way the outcome is recorded for the closing summary.
 */

import type { ToolEnv } from './detect.ts';
import { type MissingTool, missingMessage, missingTool, type Outcome } from './install-hints.ts';
import { DEFAULT_RECORDS_DIR, removeRecord, writeRecord } from './records.ts';
import { detectOnce, type Requirement } from './requirements.ts';

export type Check =
  | { readonly ready: true }
  | {
      readonly ready: false;
      readonly outcome: Outcome;
      readonly message: string;
      readonly missing: readonly MissingTool[];
    };

export interface CheckOptions {
  /** Where PATH, the *_PATH overrides and CI are read; process.env (with its detections cached) by default. */
  readonly env?: ToolEnv;
  readonly recordsDir?: string;
}

export function checkRequirements(
  suite: string,
  requirements: readonly Requirement[],
  options: CheckOptions = {},
): Check {
  const env = options.env ?? process.env;
  const recordsDir = options.recordsDir ?? DEFAULT_RECORDS_DIR;
  const missing: MissingTool[] = [];
  for (const requirement of new Set(requirements)) {
    const detection = options.env === undefined ? detectOnce(requirement) : requirement.detect(env);
    if (!detection.found) missing.push(missingTool(requirement, detection.reason));
  }
  if (missing.length === 0) {
    removeRecord(recordsDir, suite);
    return { ready: true };
  }
  const outcome: Outcome = env.CI === 'true' ? 'failed' : 'skipped';
  writeRecord(recordsDir, { suite, outcome, missing });
  return { ready: false, outcome, message: missingMessage(suite, outcome, missing), missing };
}
