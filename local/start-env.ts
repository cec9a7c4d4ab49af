/**
 * `npm start`'s environment interface, parsed and validated in one place (pure: takes the env record), so a
 * typo fails with a message naming the variable instead of a stack that serves something unexpected.
 *
 * | PORT        | 3000      | local Function URL port (0 = ephemeral; the ready line shows the real one) |
 * | HOST        | 127.0.0.1 | address both servers bind |
 * | DEMO_PORT   | PORT+1    | demo page port (0 when PORT is 0) |
 * | MEDIA_DIR   | media/    | directory uploaded into the bucket before ready (default only for the embedded store) |
 * | S3_ENDPOINT | (embedded)| external S3-compatible server (path-style); needs BUCKET |
 * | BUCKET      | media     | bucket name |
 * | REQUIRE_SIGNED_REQUESTS | false | private media: CloudFront signed URLs/cookies required (dev key, see below) |
 * | SIGNING_KEY_DIR | .signing-keys/ | the dev key pair's folder (generated on first use); setting it implies the above |
 * | LOCAL_RUNTIME | emulation | `emulation` (in-house runtime) or `aws-lambda-ric` (AWS's client on the synthesized bundle) |
 * | LOCAL_RIC_MAX_ENVIRONMENTS | 8 | aws-lambda-ric mode: most execution environments (processes) at once |
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_SIGNING_KEY_DIR } from './dev-signing-key.ts';
import { parsePort } from './net.ts';
import { isRuntimeMode } from './runtimes/runtime.ts';
import type { RuntimeSelection } from './runtimes/select.ts';
import type { LocalStackOptions } from './stack.ts';

export class StartEnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartEnvError';
  }
}

/** S3 bucket naming rules (3-63 chars, lower-case letters, digits, dots, hyphens). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function startOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  defaultMediaDir: URL,
): LocalStackOptions {
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };
  const port = portFrom(value('PORT'), 'PORT') ?? 3000;
  const demoPort = portFrom(value('DEMO_PORT'), 'DEMO_PORT');
  const host = value('HOST') ?? '127.0.0.1';
  const s3Endpoint = value('S3_ENDPOINT');
  const bucket = value('BUCKET');
  if (s3Endpoint !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(s3Endpoint);
    } catch (error) {
      throw new StartEnvError(`S3_ENDPOINT must be an http(s) URL, got "${s3Endpoint}" (${String(error)})`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new StartEnvError(`S3_ENDPOINT must be an http(s) URL, got "${s3Endpoint}"`);
    }
    if (bucket === undefined) throw new StartEnvError('BUCKET is required with S3_ENDPOINT (the bucket to serve)');
  }
  if (bucket !== undefined && !BUCKET_NAME.test(bucket)) {
    throw new StartEnvError(`BUCKET must be a valid S3 bucket name (3-63 of a-z 0-9 . -), got "${bucket}"`);
  }
  if (demoPort !== undefined && demoPort !== 0 && demoPort === port) {
    throw new StartEnvError(`DEMO_PORT must differ from PORT (${port}): the demo page is a separate origin`);
  }
  // The embedded store starts empty, so it gets the sample media unless told otherwise; an external store is
  // only written to when asked to.
  const mediaDir = value('MEDIA_DIR') ?? (s3Endpoint === undefined ? fileURLToPath(defaultMediaDir) : undefined);
  const requireSigned = value('REQUIRE_SIGNED_REQUESTS');
  if (requireSigned !== undefined && requireSigned !== 'true' && requireSigned !== 'false') {
    throw new StartEnvError(`REQUIRE_SIGNED_REQUESTS must be "true" or "false", got "${requireSigned}"`);
  }
  const keyDirSetting = value('SIGNING_KEY_DIR');
  if (requireSigned === 'false' && keyDirSetting !== undefined) {
    throw new StartEnvError('SIGNING_KEY_DIR requires signatures; unset it or REQUIRE_SIGNED_REQUESTS=false');
  }
  const signingKeyDir =
    keyDirSetting ?? (requireSigned === 'true' ? fileURLToPath(DEFAULT_SIGNING_KEY_DIR) : undefined);
  const runtime = runtimeFrom(value('LOCAL_RUNTIME'), value('LOCAL_RIC_MAX_ENVIRONMENTS'));
  return {
    ...(runtime === undefined ? {} : { runtime }),
    host,
    port,
    ...(demoPort === undefined ? {} : { demoPort }),
    ...(mediaDir === undefined ? {} : { mediaDir }),
    ...(s3Endpoint === undefined ? {} : { s3Endpoint }),
    ...(bucket === undefined ? {} : { bucket }),
    ...(signingKeyDir === undefined ? {} : { signingKeyDir }),
  };
}

function runtimeFrom(mode: string | undefined, maxEnvironments: string | undefined): RuntimeSelection | undefined {
  if (mode === undefined) {
    if (maxEnvironments !== undefined) {
      throw new StartEnvError('LOCAL_RIC_MAX_ENVIRONMENTS applies only with LOCAL_RUNTIME=aws-lambda-ric');
    }
    return undefined;
  }
  if (!isRuntimeMode(mode)) {
    throw new StartEnvError(`LOCAL_RUNTIME must be "emulation" or "aws-lambda-ric", got "${mode}"`);
  }
  if (mode === 'emulation') {
    if (maxEnvironments !== undefined) {
      throw new StartEnvError('LOCAL_RIC_MAX_ENVIRONMENTS applies only with LOCAL_RUNTIME=aws-lambda-ric');
    }
    return { mode };
  }
  if (maxEnvironments === undefined) return { mode };
  const parsed = Number(maxEnvironments);
  if (!/^[0-9]+$/.test(maxEnvironments) || !Number.isSafeInteger(parsed) || parsed < 1 || parsed > 64) {
    throw new StartEnvError(`LOCAL_RIC_MAX_ENVIRONMENTS must be an integer from 1 to 64, got "${maxEnvironments}"`);
  }
  return { mode, maxEnvironments: parsed };
}

function portFrom(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parsePort(text, name);
  } catch (error) {
    throw new StartEnvError(error instanceof Error ? error.message : String(error));
  }
}
