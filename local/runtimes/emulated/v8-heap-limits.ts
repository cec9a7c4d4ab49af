/**
 * The function's V8 heap flags, applied to the local execution environment. On Lambda, NODE_OPTIONS starts the
 * function's own Node process with them; locally the function is a worker thread of the stack's process, where
 * NODE_OPTIONS has no effect, so the young-generation size is given as the worker's resource limit instead
 * (the function runs with `--max-semi-space-size`, lib/function-environment.ts, and its memory and GC
 * behaviour must be the same here).
 *
 * V8 sizes the young generation as three semi-spaces (two for the scavenger, one for new large objects:
 * Heap::YoungGenerationSizeFromSemiSpaceSize), which is what Node's `maxYoungGenerationSizeMb` sets.
 */
import type { ResourceLimits } from 'node:worker_threads';

const SEMI_SPACE_FLAG = /^--max-semi-space-size=(\d+)$/;
const SEMI_SPACES_PER_YOUNG_GENERATION = 3;

export function workerResourceLimits(nodeOptions: string | undefined): ResourceLimits {
  let semiSpaceMb: number | undefined;
  for (const option of (nodeOptions ?? '').split(/\s+/)) {
    const match = SEMI_SPACE_FLAG.exec(option);
    if (match?.[1] !== undefined) semiSpaceMb = Number(match[1]);
  }
  return semiSpaceMb === undefined || semiSpaceMb === 0
    ? {}
    : { maxYoungGenerationSizeMb: semiSpaceMb * SEMI_SPACES_PER_YOUNG_GENERATION };
}
