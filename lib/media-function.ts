import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The handler module: the same file the local stack and the tests import. */
export const DEFAULT_HANDLER_ENTRY = fileURLToPath(new URL('../lambda/handler.ts', import.meta.url));

/**
 * esbuild's ESM output has no `require`; CommonJS dependencies bundled into it (parts of the AWS SDK and
 * powertools call `require('node:...')`) need one. Standard recipe from the esbuild docs / CDK issues.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __mediaOriginCreateRequire } from 'node:module'; const require = __mediaOriginCreateRequire(import.meta.url);";

/**
 * Imports the bundler rewrites (esbuild `alias`; docs/performance.md has the measurements):
 * - `node:http` comes from lambda/bundling/node-http.cjs, a CommonJS module returning the builtin, instead of a
 *   static ESM import whose module facade loads Node's bundled undici (tens of ms of init CPU for
 *   `http.WebSocket` and friends, which the function never uses). Both spellings, since the AWS SDK imports
 *   `http` and the project `node:http`.
 * - `@aws-sdk/credential-provider-node` (the SDK's default credential chain) becomes
 *   lambda/bundling/credential-provider-node.ts, the environment's provider alone: Lambda hands the function
 *   its credentials in environment variables, and the chain's other providers and their nested clients never
 *   run there.
 */
const NODE_HTTP_SHIM = fileURLToPath(new URL('../lambda/bundling/node-http.cjs', import.meta.url));
const ENV_CREDENTIALS_ONLY = fileURLToPath(new URL('../lambda/bundling/credential-provider-node.ts', import.meta.url));
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  'node:http': NODE_HTTP_SHIM,
  http: NODE_HTTP_SHIM,
  '@aws-sdk/credential-provider-node': ENV_CREDENTIALS_ONLY,
};

/**
 * Whether the AWS SDK v3 is bundled (true) or taken from the Lambda runtime (false). Measured with
 * test/cdk/measure-bundle.ts (docs/performance.md): the minified bundle with the tree-shaken SDK
 * (481 KiB) reaches handler-ready in ~94 ms / 123 ms CPU versus ~123 ms / 156 ms CPU when the SDK is resolved
 * package by package from node_modules as the runtime's copy would be. Bundling also pins the SDK version the
 * tests ran against.
 */
export const BUNDLE_AWS_SDK = true;

export interface MediaFunctionOptions {
  readonly entry: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly environment: Readonly<Record<string, string>>;
  readonly minify: boolean;
  /** @default - none (the account's unreserved pool) */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * The streaming handler: Node.js 24 (the major the local toolchain runs), arm64 (cheaper per GB-s, same
 * behaviour for this pure-JS code), bundled by the local esbuild devDependency (never Docker), ESM output.
 */
export function createMediaFunction(scope: Construct, options: MediaFunctionOptions): NodejsFunction {
  const logGroup = new logs.LogGroup(scope, 'FunctionLogs', {
    retention: options.logRetention,
    // The retention bounds the cost; deleting the stack should not leave an orphaned log group behind.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return new NodejsFunction(scope, 'Function', {
    description: 'Streams S3 media with exact HTTP Range and conditional semantics (RESPONSE_STREAM Function URL)',
    entry: options.entry,
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: options.memorySize,
    timeout: options.timeout,
    ...(options.reservedConcurrentExecutions === undefined
      ? {}
      : { reservedConcurrentExecutions: options.reservedConcurrentExecutions }),
    logGroup,
    environment: { ...options.environment },
    bundling: {
      forceDockerBundling: false,
      format: OutputFormat.ESM,
      target: 'node24',
      // Prefer the ESM builds of dual packages (middy and @datastream are ESM only anyway).
      mainFields: ['module', 'main'],
      banner: ESM_REQUIRE_BANNER,
      // Minified: smaller asset and less to parse at init (docs/performance.md). The source map is a separate
      // linked file without sourcesContent, shipped in the asset but not loaded at init (no
      // --enable-source-maps): docs/performance.md says how to map a stack trace with it.
      minify: options.minify,
      sourceMap: true,
      sourceMapMode: SourceMapMode.DEFAULT,
      sourcesContent: false,
      esbuildArgs: { '--alias': Object.entries(BUNDLE_ALIASES).map(([from, to]) => `${from}=${to}`) },
      ...(BUNDLE_AWS_SDK
        ? { bundleAwsSDK: true, externalModules: [] }
        : { externalModules: ['@aws-sdk/*', '@smithy/*'] }),
    },
  });
}
