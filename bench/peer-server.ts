/**
 * The peer: the common hand-written S3 media proxy, built for the benchmark only. A node:http server that
 * passes the viewer's Range header straight to GetObject and pipes the body to the response, copying S3's
 * status (206/200) and Content-Range/Content-Length. It has none of the product's rules (no open-range cap,
 * no response budget, no multi-range, no If-Range, no resume) — that is the point of comparing with it.
 *
 * Run as its own process by bench/run.ts: `node bench/peer-server.ts --s3-endpoint URL --bucket NAME`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { serveUntilClosed } from './support/child.ts';
import { s3StatusOf } from './support/s3-status.ts';

export interface PeerOptions {
  readonly s3Endpoint: string;
  readonly bucket: string;
  readonly host?: string;
  readonly port?: number;
}

export interface PeerServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Headers copied from S3's answer (what such proxies typically forward). */
const COPIED = ['content-type', 'content-length', 'content-range', 'etag', 'last-modified', 'cache-control'] as const;

export async function startPeerServer(options: PeerOptions): Promise<PeerServer> {
  const { s3Endpoint, bucket, host = '127.0.0.1', port = 0 } = options;
  const s3 = new S3Client({
    endpoint: s3Endpoint,
    forcePathStyle: true,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://peer').pathname.slice(1));
    const range = req.headers.range;
    let object: GetObjectCommandOutput;
    try {
      object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: range } : {}) }));
    } catch (error) {
      res.writeHead(s3StatusOf(error)).end();
      return;
    }
    const body = object.Body;
    if (!(body instanceof Readable)) {
      res.writeHead(502).end();
      return;
    }
    const headers: Record<string, string> = { 'accept-ranges': 'bytes' };
    // The SDK exposes S3's response headers as fields; map back the ones a player needs.
    const fields = object;
    const values: Record<(typeof COPIED)[number], string | undefined> = {
      'content-type': fields.ContentType,
      'content-length': fields.ContentLength === undefined ? undefined : String(fields.ContentLength),
      'content-range': fields.ContentRange,
      etag: fields.ETag,
      'last-modified': fields.LastModified?.toUTCString(),
      'cache-control': fields.CacheControl,
    };
    for (const name of COPIED) {
      const value = values[name];
      if (value !== undefined) headers[name] = value;
    }
    res.writeHead(object.$metadata.httpStatusCode ?? 200, headers);
    try {
      await pipeline(body, res);
    } catch {
      // viewer went away or S3 failed mid-body: pipeline destroyed both sides, nothing more to do
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          s3.destroy();
          resolve();
        });
      }),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { 's3-endpoint': { type: 'string' }, bucket: { type: 'string' } },
    strict: true,
  });
  const s3Endpoint = values['s3-endpoint'];
  const bucket = values.bucket;
  if (!s3Endpoint || !bucket) throw new Error('usage: node bench/peer-server.ts --s3-endpoint URL --bucket NAME');
  const peer = await startPeerServer({ s3Endpoint, bucket });
  serveUntilClosed(peer.url, peer.close);
}
