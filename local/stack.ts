/**
 * The local stack: an S3-compatible store (embedded fauxqs, or an external endpoint), a bucket seeded from a
 * directory, the SAME handler module that is deployed (lambda/handler.ts) behind a local Function URL, and a
 * demo page on a second origin. Used by `npm start` (local/start.ts), the integration tests and the benchmark.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { ExchangeLog } from './demo/exchange-log.ts';
import { startDemoServer } from './demo/server.ts';
import { type DevSigningKey, devSigningKey } from './dev-signing-key.ts';
import { localFunctionEnv } from './function-env.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES, startFunctionUrl } from './function-url/server.ts';
import { formatHostForUrl, freePort } from './net.ts';
import type { RuntimeSelection } from './runtimes/select.ts';
import { startS3Server } from './s3/server.ts';
import { ensureBucket, seedBucket } from './seed.ts';

export interface LocalStackOptions {
  readonly host?: string;
  readonly port?: number;
  readonly demoPort?: number;
  readonly mediaDir?: string;
  readonly s3Endpoint?: string;
  readonly bucket?: string;
  readonly functionEnv?: Readonly<Record<string, string>>;
  readonly maxPayloadBytes?: number;
  /**
   * Private media: require CloudFront signed URLs / cookies, with the dev key pair in this folder
   * (generated on first use). CORS then names the demo page's origin with credentials (cookies), not `*`.
   */
  readonly signingKeyDir?: string;
  /** Which runtime runs the handler: the in-house emulation (default) or AWS's runtime interface client. */
  readonly runtime?: RuntimeSelection;
  /** Function timeout of the local Function URL in ms (default 900000). */
  readonly timeoutMs?: number;
  /** Where the local Function URL's and runtime's diagnostics go (default: stderr). */
  readonly log?: (line: string) => void;
}

export interface LocalStack {
  readonly url: string;
  readonly demoUrl: string;
  readonly s3: { readonly endpoint: string; readonly bucket: string; readonly client: S3Client };
  /** With `signingKeyDir`: the key the function trusts (tests and `npm run sign` mint with it). */
  readonly signing?: DevSigningKey;
  close(): Promise<void>;
}

/** The deployed handler module; the local Function URL imports it after installing the `awslambda` global. */
export const HANDLER_MODULE = new URL('../lambda/handler.ts', import.meta.url);
/** The sample media shipped with the repo. */
export const SAMPLE_MEDIA_DIR = new URL('../media/', import.meta.url);

/** Credentials for the embedded store (fauxqs accepts any); an external endpoint uses the AWS_* variables. */
const LOCAL_CREDENTIALS: Credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

const KNOWN_OPTIONS = new Set([
  'host',
  'port',
  'demoPort',
  'mediaDir',
  's3Endpoint',
  'bucket',
  'functionEnv',
  'maxPayloadBytes',
  'signingKeyDir',
  'runtime',
  'timeoutMs',
  'log',
]);

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw new TypeError(`startLocalStack: unknown option "${name}"`);
  }
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 3000;
  let demoPort = options.demoPort ?? (port === 0 ? 0 : port + 1);
  const bucket = options.bucket ?? 'media';
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const credentials = options.s3Endpoint === undefined ? LOCAL_CREDENTIALS : credentialsFromEnv();

  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    const pending = cleanups.splice(0).reverse();
    for (const cleanup of pending) await cleanup().catch(() => undefined);
  };
  try {
    let endpoint = options.s3Endpoint;
    if (endpoint === undefined) {
      const s3Server = await startS3Server({ host });
      cleanups.push(() => s3Server.close());
      endpoint = s3Server.endpoint;
    }
    const client = new S3Client({ endpoint, region, forcePathStyle: true, credentials });
    cleanups.push(async () => client.destroy());
    if (options.mediaDir === undefined) await ensureBucket(client, bucket);
    else await seedBucket(client, bucket, options.mediaDir);

    const signing = options.signingKeyDir === undefined ? undefined : devSigningKey(options.signingKeyDir);
    // The function's CORS must name the demo page's origin (credentials forbid `*`), so its port is fixed first.
    if (signing !== undefined && demoPort === 0) demoPort = await freePort(host);
    const demoOrigin = `http://${formatHostForUrl(host)}:${demoPort}`;
    const signingEnv: Record<string, string> =
      signing === undefined
        ? {}
        : {
            REQUIRE_SIGNED_REQUESTS: 'true',
            SIGNING_PUBLIC_KEYS: JSON.stringify({ [signing.keyPairId]: signing.publicKeyPem }),
            CORS_ALLOWED_ORIGINS: demoOrigin,
            CORS_ALLOW_CREDENTIALS: 'true',
          };

    // Every request to the Function URL and what its viewer got, live on the demo page.
    const exchanges = new ExchangeLog();
    const functionUrl = await startFunctionUrl({
      handlerModule: HANDLER_MODULE,
      onExchange: (record) => exchanges.publish(record),
      host,
      port,
      maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      ...(options.runtime === undefined ? {} : { runtime: options.runtime }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.log === undefined ? {} : { log: options.log }),
      env: localFunctionEnv({
        region,
        credentials,
        bucket,
        s3Endpoint: endpoint,
        signingEnv,
        ...(options.functionEnv === undefined ? {} : { overrides: options.functionEnv }),
      }),
    });
    cleanups.push(() => functionUrl.close());

    const demo = await startDemoServer({
      host,
      port: demoPort,
      client,
      bucket,
      mediaBaseUrl: functionUrl.url,
      exchanges,
      ...(signing === undefined ? {} : { signing }),
    });
    cleanups.push(() => demo.close());

    let closing: Promise<void> | undefined;
    return {
      url: functionUrl.url,
      demoUrl: demo.url,
      s3: { endpoint, bucket, client },
      ...(signing === undefined ? {} : { signing }),
      close() {
        closing ??= closeAll();
        return closing;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** An external S3-compatible server: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the local defaults. */
function credentialsFromEnv(): Credentials {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = process.env.AWS_SESSION_TOKEN;
  if (accessKeyId === undefined && secretAccessKey === undefined) return LOCAL_CREDENTIALS;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new Error('set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for S3_ENDPOINT, or neither');
  }
  return sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
}
