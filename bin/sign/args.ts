/**
 * `npm run sign -- ...`: command line -> validated options. Pure (argv, env and the clock in; options out) so it
 * is unit-tested; unknown options fail (node:util parseArgs strict mode).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { parseArgs } from 'node:util';
import { nonEmpty, UsageError, usageOf } from '../usage-error.ts';

export { UsageError };

export const SIGN_USAGE = `usage: npm run sign -- <url> --expires <when> --key-pair-id <id> --private-key <file> [options]
       npm run sign -- --generate-key-pair <dir>

Mints a CloudFront signed URL (default) or signed cookies (--cookies) with @aws-sdk/cloudfront-signer. The same
token works at CloudFront (trusted key group), on a public Function URL and on the local stack.
<url> may be a pattern with * (any characters; then ? is one character), e.g. "https://d111.cloudfront.net/hls/show-1/*":
with cookies that grants a whole HLS/DASH rendition; as a URL it prints the query to append to any matching URL.

options:
      --expires <when>       required: a duration from now (90s, 30m, 2h, 7d) or a date (2026-12-31T23:00:00Z)
      --not-before <when>    not valid before this (duration from now or date): custom policy
      --ip <cidr>            only this viewer address range (IPv4 or IPv6 CIDR, or one address): custom policy
      --cookies              print Set-Cookie lines instead of a URL
      --key-pair-id <id>     CloudFront key id (stack output SigningKeyIds; env CLOUDFRONT_KEY_PAIR_ID)
      --private-key <file>   PEM private key (env CLOUDFRONT_PRIVATE_KEY_FILE)
      --sha256               sign with RSA-SHA256 (Hash-Algorithm=SHA256) instead of CloudFront's default SHA-1
      --generate-key-pair <dir>  write a new RSA 2048 key pair (private_key.pem, public_key.pem) into <dir>
  -h, --help`;

export interface SignOptions {
  readonly kind: 'sign';
  readonly url: string;
  /** Epoch seconds. */
  readonly expires: number;
  readonly notBefore: number | undefined;
  readonly ip: string | undefined;
  readonly cookies: boolean;
  readonly keyPairId: string;
  readonly privateKeyFile: string;
  readonly algorithm: 'SHA1' | 'SHA256';
}

export interface GenerateOptions {
  readonly kind: 'generate-key-pair';
  readonly dir: string;
}

const KEY_PAIR_ID = /^[A-Za-z0-9_-]{1,128}$/;
const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function parseSignArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  nowMs: number,
): SignOptions | GenerateOptions | 'help' {
  const { values, positionals } = usageOf(() => parse(argv));
  if (values.help === true) return 'help';
  if (values['generate-key-pair'] !== undefined) {
    if (positionals.length > 0) throw new UsageError('--generate-key-pair takes a directory and nothing else');
    if (values['generate-key-pair'].trim() === '') throw new UsageError('--generate-key-pair needs a directory');
    return { kind: 'generate-key-pair', dir: values['generate-key-pair'] };
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one URL to sign');
  const url = positionals[0] ?? '';
  checkUrl(url);
  if (values.expires === undefined) throw new UsageError('--expires is required (e.g. --expires 2h)');
  const now = Math.floor(nowMs / 1000);
  const expires = when('--expires', values.expires, now);
  if (expires <= now) throw new UsageError(`--expires must be in the future, got "${values.expires}"`);
  const notBefore = values['not-before'] === undefined ? undefined : when('--not-before', values['not-before'], now);
  if (notBefore !== undefined && notBefore >= expires) {
    throw new UsageError('--not-before must be earlier than --expires');
  }
  const ip = values.ip;
  if (ip !== undefined && !isCidr(ip)) {
    throw new UsageError(`--ip must be an IPv4 or IPv6 address or CIDR block (e.g. 203.0.113.0/24), got "${ip}"`);
  }
  const keyPairId = nonEmpty(values['key-pair-id']) ?? nonEmpty(env.CLOUDFRONT_KEY_PAIR_ID);
  if (keyPairId === undefined) {
    throw new UsageError(
      '--key-pair-id is required (or set CLOUDFRONT_KEY_PAIR_ID); see the stack output SigningKeyIds',
    );
  }
  if (!KEY_PAIR_ID.test(keyPairId))
    throw new UsageError(`--key-pair-id must be a CloudFront key id, got "${keyPairId}"`);
  const privateKeyFile = nonEmpty(values['private-key']) ?? nonEmpty(env.CLOUDFRONT_PRIVATE_KEY_FILE);
  if (privateKeyFile === undefined) {
    throw new UsageError('--private-key is required (or set CLOUDFRONT_PRIVATE_KEY_FILE)');
  }
  return {
    kind: 'sign',
    url,
    expires,
    notBefore,
    ip,
    cookies: values.cookies === true,
    keyPairId,
    privateKeyFile,
    algorithm: values.sha256 === true ? 'SHA256' : 'SHA1',
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      expires: { type: 'string' },
      'not-before': { type: 'string' },
      ip: { type: 'string' },
      cookies: { type: 'boolean' },
      'key-pair-id': { type: 'string' },
      'private-key': { type: 'string' },
      sha256: { type: 'boolean' },
      'generate-key-pair': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function checkUrl(url: string): void {
  const match = /^(https?):\/\/([^/?#]+)(\/[^#]*)$/.exec(url);
  if (match === null || /\s/.test(url)) {
    throw new UsageError(
      `the URL must be an absolute http(s) URL with a path, e.g. https://d111.cloudfront.net/a.mp4; got "${url}"`,
    );
  }
}

/** A duration from now ("2h") or a date (ISO 8601) -> epoch seconds. */
function when(option: string, text: string, now: number): number {
  const duration = DURATION.exec(text.trim());
  if (duration !== null) return now + Number(duration[1]) * (UNIT_SECONDS[duration[2] ?? 's'] ?? 1);
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  throw new UsageError(`${option} must be a duration (90s, 30m, 2h, 7d) or an ISO date, got "${text}"`);
}

function isCidr(text: string): boolean {
  const [address = '', prefix, extra] = text.split('/');
  if (extra !== undefined) return false;
  const max = isIPv4(address) ? 32 : isIPv6(address) ? 128 : -1;
  if (max === -1) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
}
