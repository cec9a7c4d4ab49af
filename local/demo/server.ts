/**
 * The demo page's server. It runs on its own origin (another port), so it never shadows an object key and the
 * page's media requests to the Function URL are cross-origin: the function's CORS answers are exercised.
 * The bucket listing (ListObjectsV2) is done here, not by the function: the function serves objects only.
 */

import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { contentTypeFor } from '../../lambda/http/content-type.ts';
import { redactText, redactUrl } from '../../lambda/observability/redact.ts';
import { formatHostForUrl } from '../net.ts';
import { encodeKey } from './encode-key.ts';
import type { ExchangeLog } from './exchange-log.ts';
import { type DemoSigning, routeSigning } from './signing.ts';

export interface DemoServerOptions {
  readonly host: string;
  readonly port: number;
  readonly client: S3Client;
  readonly bucket: string;
  /** The Function URL base (trailing slash) the page plays media from. */
  readonly mediaBaseUrl: string;
  /** Private media: mint signed URLs and cookies with this key (local/demo/signing.ts). */
  readonly signing?: DemoSigning;
  /** The Function URL's request log, streamed to the page on /events (exchange-log.ts). */
  readonly exchanges?: ExchangeLog;
}

export interface DemoServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface MediaItem {
  readonly key: string;
  readonly size: number;
  readonly type: string;
  readonly url: string;
}

/** The page lists at most this many objects: it is a demo, not a bucket browser. */
const MAX_LISTED = 1000;

const ASSETS: Readonly<Record<string, { readonly file: URL; readonly type: string }>> = {
  '/': { file: new URL('./public/index.html', import.meta.url), type: 'text/html; charset=utf-8' },
  '/app.js': { file: new URL('./public/app.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: new URL('./public/style.css', import.meta.url), type: 'text/css; charset=utf-8' },
  '/private.html': { file: new URL('./public/private.html', import.meta.url), type: 'text/html; charset=utf-8' },
  '/private.js': { file: new URL('./public/private.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
  '/vendor/hls.min.js': {
    file: new URL('../../node_modules/hls.js/dist/hls.min.js', import.meta.url),
    type: 'text/javascript; charset=utf-8',
  },
  '/vendor/shaka-player.compiled.js': {
    file: new URL('../../node_modules/shaka-player/dist/shaka-player.compiled.js', import.meta.url),
    type: 'text/javascript; charset=utf-8',
  },
};

export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const server = createServer((req, res) => {
    route(req, res, options).catch((error: unknown) => {
      process.stderr.write(
        `[demo] ${redactUrl(req.url ?? '/')}: ${redactText(error instanceof Error ? error.message : String(error))}\n`,
      );
      if (res.headersSent) res.destroy();
      else send(res, 502, 'application/json', JSON.stringify({ error: 'cannot list the bucket' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${formatHostForUrl(options.host)}:${port}/`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        options.exchanges?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function route(req: IncomingMessage, res: ServerResponse, options: DemoServerOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    return;
  }
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (options.signing !== undefined && routeSigning(req, res, options.signing, options.mediaBaseUrl)) return;
  if (path === '/api/media') {
    const items = await listMedia(options);
    const signed = options.signing !== undefined;
    send(res, 200, 'application/json', JSON.stringify({ mediaBaseUrl: options.mediaBaseUrl, items, signed }));
    return;
  }
  if (path === '/events' && options.exchanges !== undefined) {
    options.exchanges.serve(req, res);
    return;
  }
  if (path === '/favicon.ico') {
    res.writeHead(204, { 'Cache-Control': 'max-age=86400' }).end();
    return;
  }
  const asset = ASSETS[path];
  if (asset === undefined) {
    send(res, 404, 'text/plain; charset=utf-8', 'not found');
    return;
  }
  res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const file = createReadStream(asset.file);
  file.once('error', () => res.destroy());
  file.pipe(res);
}

/** Lists the bucket (paginated, bounded) and builds each object's Function URL. */
export async function listMedia(
  options: Pick<DemoServerOptions, 'client' | 'bucket' | 'mediaBaseUrl'>,
): Promise<MediaItem[]> {
  const items: MediaItem[] = [];
  let token: string | undefined;
  do {
    const page = await options.client.send(
      new ListObjectsV2Command({ Bucket: options.bucket, ContinuationToken: token, MaxKeys: MAX_LISTED }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined || items.length >= MAX_LISTED) continue;
      items.push({
        key: object.Key,
        size: object.Size ?? 0,
        type: contentTypeFor(object.Key, undefined),
        url: options.mediaBaseUrl + encodeKey(object.Key),
      });
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined && items.length < MAX_LISTED);
  return items;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
