import { describe, expect, test } from '@jest/globals';
import { workerResourceLimits } from '../../../local/runtimes/emulated/v8-heap-limits.ts';

describe('workerResourceLimits', () => {
  test("the function's --max-semi-space-size becomes the worker's young generation (three semi-spaces)", () => {
    // Prepare
    const nodeOptions = '--max-semi-space-size=1 --enable-source-maps';

    // Act
    const limits = workerResourceLimits(nodeOptions);

    // Assess
    expect(limits).toEqual({ maxYoungGenerationSizeMb: 3 });
  });

  test('the last occurrence wins, as on a Node command line', () => {
    // Act
    const limits = workerResourceLimits('--max-semi-space-size=1  --max-semi-space-size=4');

    // Assess
    expect(limits).toEqual({ maxYoungGenerationSizeMb: 12 });
  });

  test('without the flag (or with no NODE_OPTIONS) V8 keeps its defaults', () => {
    // Act / Assess
    expect(workerResourceLimits('--enable-source-maps')).toEqual({});
    expect(workerResourceLimits(undefined)).toEqual({});
    expect(workerResourceLimits('--max-semi-space-size=abc')).toEqual({});
  });
});
