/**
 * Picks the runtime behind the local Function URL (the seam is ./runtime.ts):
 * `{ mode: 'emulation' }` (default) runs `handlerModule` in the in-house runtime; `{ mode: 'aws-lambda-ric' }`
 * runs the SYNTHESIZED bundle of lambda/handler.ts under AWS's runtime interface client. The real client can only
 * run what `cdk synth` builds, so any other `handlerModule` is refused there rather than silently swapped.
 */

import type { FunctionBundle } from './aws-ric/bundle.ts';
import { RicRuntime } from './aws-ric/pool.ts';
import { type EnvironmentOptions, ExecutionEnvironment } from './emulated/environment.ts';
import type { FunctionRuntime } from './runtime.ts';

export type RuntimeSelection =
  | { readonly mode: 'emulation' }
  | {
      readonly mode: 'aws-lambda-ric';
      /** Most execution environments (processes) at once (default 8). */
      readonly maxEnvironments?: number;
      /** The bundle to run (default: the Function URL's function from the synthesized app, cached). */
      readonly bundle?: FunctionBundle;
    };

export interface RuntimeStartOptions extends EnvironmentOptions {
  readonly log: (line: string) => void;
}

/** The module the CDK app bundles (lib/media-function.ts DEFAULT_HANDLER_ENTRY). */
const DEPLOYED_HANDLER = new URL('../../lambda/handler.ts', import.meta.url);

export async function startFunctionRuntime(
  selection: RuntimeSelection,
  options: RuntimeStartOptions,
): Promise<FunctionRuntime> {
  if (selection.mode === 'emulation') {
    return ExecutionEnvironment.start(options);
  }
  if (selection.mode !== 'aws-lambda-ric') {
    throw new TypeError(
      `runtime.mode must be "emulation" or "aws-lambda-ric", got "${String((selection as { mode: unknown }).mode)}"`,
    );
  }
  if (options.handlerModule.href !== DEPLOYED_HANDLER.href || options.handlerExport !== 'handler') {
    throw new TypeError(
      `runtime mode aws-lambda-ric runs the synthesized bundle of lambda/handler.ts (export "handler"); ` +
        `${options.handlerModule.href} (export "${options.handlerExport}") can only run in the emulation`,
    );
  }
  return RicRuntime.start({
    env: options.env,
    functionName: options.functionName,
    memoryLimitInMB: options.memoryLimitInMB,
    flowWindowBytes: options.flowWindowBytes,
    log: options.log,
    ...(selection.maxEnvironments === undefined ? {} : { maxEnvironments: selection.maxEnvironments }),
    ...(selection.bundle === undefined ? {} : { bundle: selection.bundle }),
  });
}
