/**
 * The embedded S3-compatible server: fauxqs (an S3/SQS/SNS emulator from npm) bound to a loopback address.
 *
 * Why fauxqs: it answers the GetObject details the handler leans on correctly (single ranges incl. `0-0`,
 * suffix and open-ended, 416 InvalidRange, If-Match -> 412, If-None-Match -> 304, multipart uploads with S3's
 * `md5-of-md5s-N` ETag), unlike s3rver 3.7.1. Its known gaps are listed in
 * docs/local-stack.md ("The embedded S3-compatible store"); the handler never depends on the store's range or precondition semantics.
 *
 * We call `buildApp()` and listen ourselves instead of `startFauxqs()`, because `startFauxqs()` always binds
 * 0.0.0.0 and this server must stay on loopback. Objects live in memory (fauxqs' file mode re-reads the whole
 * object from disk on every GET, which is slower for the large-object tests and the benchmark).
 *
 * Run as its own process (the benchmark does, so the function's RSS is measured alone):
 *   node local/s3/server.ts [--host 127.0.0.1] [--port 4566]
 * It prints `s3 endpoint: http://HOST:PORT` once listening and stops on SIGINT/SIGTERM.
 */
import { buildApp } from 'fauxqs';
import { formatHostForUrl, parsePort } from '../net.ts';
import { addS3ResponseOverrides } from './response-overrides.ts';

export interface S3ServerOptions {
  /** Loopback address to bind (default 127.0.0.1). */
  readonly host?: string;
  /** TCP port (default 0 = ephemeral). */
  readonly port?: number;
}

export interface S3Server {
  /** Base URL for `S3Client({ endpoint, forcePathStyle: true })`, e.g. `http://127.0.0.1:4566`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

const KNOWN_OPTIONS = new Set(['host', 'port']);

export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw new TypeError(`startS3Server: unknown option "${name}"`);
  }
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`startS3Server: port must be an integer 0-65535, got ${String(port)}`);
  }
  // No request log: fauxqs' own logger would print every presigned URL the function's 307s send players to.
  const app = buildApp({ logger: false });
  addS3ResponseOverrides(app);
  await app.listen({ host, port });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new Error('startS3Server: the server did not report a TCP address');
  }
  const endpoint = `http://${formatHostForUrl(host)}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    close() {
      closing ??= app.close().then(() => undefined);
      return closing;
    },
  };
}

function argValue(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index === -1) return undefined;
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

async function main(argv: readonly string[]): Promise<void> {
  const unknown = argv.filter((arg) => arg.startsWith('--') && arg !== '--host' && arg !== '--port');
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')} (usage: --host H --port N)`);
  const host = argValue(argv, '--host') ?? '127.0.0.1';
  const portText = argValue(argv, '--port');
  const port = portText === undefined ? 4566 : parsePort(portText, '--port');
  const server = await startS3Server({ host, port });
  process.stdout.write(`s3 endpoint: ${server.endpoint}\n`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`s3-server: close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`s3-server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
