/**
 * The demo server's minting endpoints (private media). Minting lives HERE, in the local demo's server
 * code, never in lambda/ or lib/: in production your application's backend signs, after deciding that this
 * viewer may watch. Both answers are short-lived and use the same code as `npm run sign` (bin/sign/mint.ts).
 *
 *   GET /api/sign/url?key=<object key>[&ttl=<s>]        -> {"url": "<signed Function URL>", "expires": <epoch s>}
 *   GET /api/sign/cookies?prefix=<key prefix>[&ttl=<s>] -> Set-Cookie (custom policy for <base><prefix>*),
 *                                                          {"prefix": ..., "expires": ...}
 *
 * Cookies: the page (port P+1) and the Function URL (port P) share the host, and cookies ignore ports, so a
 * cookie the demo server sets with Path=/<prefix> is sent by the browser to the Function URL too, on requests
 * made with credentials (hls.js `xhrSetup: xhr.withCredentials = true`, or crossorigin="use-credentials").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SignOptions } from '../../bin/sign/args.ts';
import { mint } from '../../bin/sign/mint.ts';
import { encodeKey } from './encode-key.ts';

export interface DemoSigning {
  readonly keyPairId: string;
  readonly privateKey: string;
}

const DEFAULT_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 3600;
/** A key or prefix: relative, no control characters, no wildcards (the prefix gets its own `*`). */
const KEY = /^[^/\p{Cc}*?][^\p{Cc}*?]{0,1023}$/u;

/** Handles /api/sign/* (returns true), or returns false for any other path. */
export function routeSigning(
  req: IncomingMessage,
  res: ServerResponse,
  signing: DemoSigning,
  mediaBaseUrl: string,
): boolean {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  if (url.pathname !== '/api/sign/url' && url.pathname !== '/api/sign/cookies') return false;
  const ttl = url.searchParams.get('ttl') ?? String(DEFAULT_TTL_SECONDS);
  if (!/^\d{1,4}$/.test(ttl) || Number(ttl) < 1 || Number(ttl) > MAX_TTL_SECONDS) {
    return json(res, 400, { error: `ttl must be 1-${MAX_TTL_SECONDS} seconds` });
  }
  const expires = Math.floor(Date.now() / 1000) + Number(ttl);
  const base: Omit<SignOptions, 'url' | 'cookies'> = {
    kind: 'sign',
    expires,
    notBefore: undefined,
    ip: undefined,
    keyPairId: signing.keyPairId,
    privateKeyFile: '(demo)',
    algorithm: 'SHA1',
  };
  if (url.pathname === '/api/sign/url') {
    const key = url.searchParams.get('key') ?? '';
    if (!KEY.test(key)) return json(res, 400, { error: 'key must be an object key' });
    const minted = mint({ ...base, url: mediaBaseUrl + encodeKey(key), cookies: false }, signing.privateKey);
    if (minted.kind !== 'url') throw new Error('expected a signed URL');
    return json(res, 200, { url: minted.url, expires });
  }
  const prefix = url.searchParams.get('prefix') ?? '';
  if (!KEY.test(prefix) || !prefix.endsWith('/')) return json(res, 400, { error: 'prefix must end with "/"' });
  const minted = mint({ ...base, url: `${mediaBaseUrl + encodeKey(prefix)}*`, cookies: true }, signing.privateKey);
  if (minted.kind !== 'cookies') throw new Error('expected signed cookies');
  res.setHeader('Set-Cookie', [...minted.setCookie]);
  return json(res, 200, { prefix, expires });
}

function json(res: ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
  return true;
}
