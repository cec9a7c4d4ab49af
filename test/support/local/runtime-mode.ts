/**
 * Which runtime the local stack runs the handler in for this test run: `LOCAL_RUNTIME=aws-lambda-ric`
 * runs every suite that starts a stack through this helper against AWS's runtime interface client on the
 * synthesized bundle; unset (or `emulation`) is the in-house runtime. `npm run test:ric` sets it.
 */
import { isRuntimeMode } from '../../../local/runtimes/runtime.ts';
import type { RuntimeSelection } from '../../../local/runtimes/select.ts';

export function testRuntime(): RuntimeSelection {
  const mode = process.env.LOCAL_RUNTIME ?? 'emulation';
  if (!isRuntimeMode(mode)) throw new Error(`LOCAL_RUNTIME must be "emulation" or "aws-lambda-ric", got "${mode}"`);
  return { mode };
}

export function isRealClientRun(): boolean {
  return testRuntime().mode === 'aws-lambda-ric';
}
