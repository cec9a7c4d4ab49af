/**
 * Finds AWS's runtime interface client (npm `aws-lambda-ric`), an OPTIONAL install: its install
 * builds curl and aws-lambda-cpp from bundled sources (cmake, make, g++; about a minute), so `npm ci` does not
 * install it; `npm run ric:install` does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const RIC_PACKAGE = 'aws-lambda-ric';
/** The version the Runtime API side was written against (its index.mjs was read for every header and path). */
export const RIC_VERSION = '4.0.2';
export const RIC_INSTALL_COMMAND = 'npm run ric:install';

export class RuntimeClientMissingError extends Error {
  constructor(detail: string) {
    super(
      `LOCAL_RUNTIME=aws-lambda-ric needs AWS's runtime interface client: ${detail}. ` +
        `Install it with \`${RIC_INSTALL_COMMAND}\` (builds native code: needs cmake, make and g++; about a minute).`,
    );
    this.name = 'RuntimeClientMissingError';
  }
}

export interface RuntimeClientPackage {
  /** The client's entry point, run as `node <entry>` (its package "bin"). */
  readonly entry: string;
  readonly version: string;
}

export function findRuntimeClient(): RuntimeClientPackage {
  const require = createRequire(import.meta.url);
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${RIC_PACKAGE}/package.json`);
  } catch {
    throw new RuntimeClientMissingError(`the package ${RIC_PACKAGE} is not installed`);
  }
  const root = dirname(manifestPath);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: unknown; bin?: unknown };
  const version = typeof manifest.version === 'string' ? manifest.version : 'unknown';
  if (version !== RIC_VERSION) {
    throw new RuntimeClientMissingError(`found ${RIC_PACKAGE}@${version}, this project expects ${RIC_VERSION}`);
  }
  // The native half (rapid-client.node) is what the install builds; without it the client fails at its first
  // /next with "Failed to load native client".
  if (!existsSync(join(root, 'rapid-client.node'))) {
    throw new RuntimeClientMissingError(`${RIC_PACKAGE} is installed but its native part was not built`);
  }
  const bin = manifest.bin;
  const relative =
    typeof bin === 'string'
      ? bin
      : typeof bin === 'object' && bin !== null && typeof (bin as Record<string, unknown>)[RIC_PACKAGE] === 'string'
        ? ((bin as Record<string, string>)[RIC_PACKAGE] as string)
        : 'index.mjs';
  return { entry: join(root, relative), version };
}
