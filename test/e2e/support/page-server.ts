/**
 * A tiny static server for the e2e player page. It listens on its own ephemeral port, so the page's origin
 * differs from the media origin (the local Function URL) and every media request the browser makes is
 * cross-origin: CORS is exercised exactly as on a real site embedding the origin's media.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dashJsPath, hlsJsPath, shakaPath } from './paths.ts';

const pageDir = join(dirname(fileURLToPath(import.meta.url)), 'page');

/** The only files this server knows: anything else is 404, so a typo in a test fails loudly. */
const routes: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/': { file: join(pageDir, 'index.html'), type: 'text/html; charset=utf-8' },
  '/player.js': { file: join(pageDir, 'player.js'), type: 'text/javascript; charset=utf-8' },
  '/hls.min.js': { file: hlsJsPath, type: 'text/javascript; charset=utf-8' },
  '/dash.html': { file: join(pageDir, 'dash.html'), type: 'text/html; charset=utf-8' },
  '/request-recorder.js': { file: join(pageDir, 'request-recorder.js'), type: 'text/javascript; charset=utf-8' },
  '/dash.all.min.js': { file: dashJsPath, type: 'text/javascript; charset=utf-8' },
  '/shaka-player.compiled.js': { file: shakaPath, type: 'text/javascript; charset=utf-8' },
};

export interface PageServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash): the value for CORS_ALLOWED_ORIGINS. */
  readonly origin: string;
  /** The player page. */
  readonly url: string;
  /** The DASH player page (dash.js and Shaka Player, with the request recorder). */
  readonly dashUrl: string;
  close(): Promise<void>;
}

export async function startPageServer(host = '127.0.0.1'): Promise<PageServer> {
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://page.invalid').pathname];
    if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    readFile(route.file).then(
      (body) => {
        res.writeHead(200, { 'content-type': route.type, 'content-length': body.length, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    url: `${origin}/`,
    dashUrl: `${origin}/dash.html`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
