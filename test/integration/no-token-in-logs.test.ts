/**
 * No token in any log line: a signed local stack (private media) is driven through every diagnostic path it
 * has, with CloudFront signed URLs AND signed cookies, and EVERYTHING its processes print (stdout and stderr:
 * the Function URL's and the runtime's diagnostics, the function's own request lines, the demo server, the
 * embedded store) is searched for the signing values used and for the signature of the presigned redirect.
 *
 * Two processes: `npm start`'s entry (206, 307, 403, 413), and a stack with a 1000-byte payload limit and one
 * whose function cannot reach its store within a short timeout (payload cut, function error), which
 * `npm start`'s environment cannot ask for. Each path must have printed something about its request (by the
 * request id the Function URL answers with), so a path that logged nothing cannot pass unseen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DevSigningKey, devSigningKey } from '../../local/dev-signing-key.ts';
import { testRuntime } from '../support/local/runtime-mode.ts';
import { STACK_ENTRY, type StartedProcess, startProcess, stopProcess } from '../support/local/start-process.ts';
import { send, type ViewerResult } from '../support/viewer-request.ts';

const keyDir = mkdtempSync(join(tmpdir(), 'media-origin-no-token-'));
let key: DevSigningKey;
let started: StartedProcess;
let limited: StartedProcess;
let unreachableStore: net.Server;
const heldSockets = new Set<net.Socket>();
/** Every value that authorises a request and was sent or handed out during the run. */
const secrets = new Set<string>();

beforeAll(async () => {
  key = devSigningKey(keyDir); // generated here, so both processes trust the same key
  unreachableStore = net.createServer((socket) => {
    // Accepts and never answers: the function's S3 request hangs until the function timeout.
    heldSockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => unreachableStore.listen(0, '127.0.0.1', resolve));
  const storePort = (unreachableStore.address() as net.AddressInfo).port;
  const runtime = testRuntime();
  const env = { PORT: '0', LOCAL_RUNTIME: runtime.mode, POWERTOOLS_LOG_LEVEL: 'INFO' };
  // Every plain GET is redirected to a presigned S3 URL, whatever the object's size (the sample media is small).
  started = await startProcess({
    ...env,
    REQUIRE_SIGNED_REQUESTS: 'true',
    SIGNING_KEY_DIR: keyDir,
    PLAIN_GET_REDIRECT_MIN_BYTES: '1',
  });
  limited = await startProcess(
    {
      ...env,
      LOCAL_STACK_OPTIONS: JSON.stringify([
        {
          signingKeyDir: keyDir,
          runtime,
          mediaDir: fileURLToPath(new URL('../../media/', import.meta.url)),
          maxPayloadBytes: 1000,
        },
        {
          signingKeyDir: keyDir,
          runtime,
          timeoutMs: 2000,
          functionEnv: { S3_ENDPOINT: `http://127.0.0.1:${storePort}` },
        },
      ]),
    },
    STACK_ENTRY,
  );
}, 180_000);

afterAll(async () => {
  await Promise.all([started, limited].filter((one) => one !== undefined).map((one) => stopProcess(one.process)));
  for (const socket of heldSockets) socket.destroy();
  await new Promise<void>((resolve) => unreachableStore?.close(() => resolve()));
  rmSync(keyDir, { recursive: true, force: true });
}, 60_000);

function policyFor(baseUrl: string): string {
  return JSON.stringify({
    Statement: [
      {
        Resource: `${baseUrl}*`,
        Condition: { DateLessThan: { 'AWS:EpochTime': Math.floor(Date.now() / 1000) + 600 } },
      },
    ],
  });
}

/** A custom-policy signed URL (Policy, Signature, Key-Pair-Id in its query); its values join the secrets. */
function signedUrl(baseUrl: string, path: string): URL {
  const url = new URL(
    getSignedUrl({
      url: `${baseUrl}${path}`,
      keyPairId: key.keyPairId,
      privateKey: key.privateKey,
      policy: policyFor(baseUrl),
    }),
  );
  for (const name of ['Policy', 'Signature', 'Key-Pair-Id']) remember(url.searchParams.get(name));
  return url;
}

/** A Cookie header with CloudFront signed cookies for everything under `baseUrl`; its values join the secrets. */
function signedCookies(baseUrl: string): string {
  const cookies = getSignedCookies({
    keyPairId: key.keyPairId,
    privateKey: key.privateKey,
    policy: policyFor(baseUrl),
  });
  const pairs = Object.entries(cookies).map(([name, value]) => {
    remember(String(value));
    return `${name}=${String(value)}`;
  });
  const session = 'opaque-session-value-1234';
  remember(session);
  return [...pairs, `session=${session}`].join('; ');
}

function remember(value: string | null | undefined): void {
  if (value === null || value === undefined || value === '') return;
  secrets.add(value);
  secrets.add(encodeURIComponent(value));
}

/** A different, well-formed signature: the request is refused, and its value is a secret all the same. */
function tampered(url: URL): URL {
  const copy = new URL(url);
  const signature = copy.searchParams.get('Signature') ?? '';
  const forged = `${signature.slice(1)}${signature.slice(0, 1)}`;
  copy.searchParams.set('Signature', forged);
  remember(forged);
  return copy;
}

function target(url: URL): string {
  return `${url.pathname}${url.search}`;
}

function output(process: StartedProcess): string {
  return `${process.stdout()}\n${process.stderr()}`;
}

/** The lines printed about one request (the Function URL's request id is in each of them), waited for. */
async function linesAbout(process: StartedProcess, response: ViewerResult): Promise<string[]> {
  const requestId = String(response.headers['x-amzn-requestid'] ?? '');
  expect(requestId).not.toBe('');
  const about = (): string[] =>
    output(process)
      .split('\n')
      .filter((line) => line.includes(requestId));
  for (let waited = 0; about().length === 0 && waited < 20_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return about();
}

/** `npm start` prints the key id once, for `npm run sign`; it is an identifier, not a request's credential. */
function withoutSignHint(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.includes('npm run sign --') && !line.startsWith('private media:'))
    .join('\n');
}

describe('a signed local stack driven through every diagnostic path', () => {
  it('prints something about each, and never a signature, policy, key id, cookie value or presigned credential', async () => {
    // Prepare
    const base = String(started.urls[0]);
    const [cutBase, timeoutBase] = limited.urls.map(String);
    const cookies = signedCookies(base);
    const plain = signedUrl(base, 'sample.mp4');

    // Act
    const ranged = await send(base, target(signedUrl(base, 'sample.mp4')), { headers: { Range: 'bytes=0-1' } });
    const byCookie = await send(base, '/sample.mp4', { headers: { Range: 'bytes=0-1', Cookie: cookies } });
    const redirected = await send(base, target(plain), { headers: { Cookie: cookies } });
    const refused = await send(base, target(tampered(plain)), { headers: { Range: 'bytes=0-1' } });
    // Declared over the 6 MB request payload limit; the URL answers 413 before a byte of the body is sent.
    const tooLarge = await send(base, target(plain), {
      method: 'POST',
      headers: {
        Cookie: cookies,
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(7 * 1024 * 1024),
      },
    });
    const cut = await send(String(cutBase), target(signedUrl(String(cutBase), 'sample.mp4')), {
      headers: { Range: 'bytes=0-99999', Cookie: signedCookies(String(cutBase)) },
    });
    const timedOut = await send(String(timeoutBase), target(signedUrl(String(timeoutBase), 'sample.mp4')), {
      headers: { Range: 'bytes=0-1', Cookie: signedCookies(String(timeoutBase)) },
    });
    const printed = new Map<string, string[]>();
    const location = new URL(String(redirected.headers.location));
    for (const name of ['X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token']) {
      remember(location.searchParams.get(name));
    }
    printed.set('206 signed URL', await linesAbout(started, ranged));
    printed.set('206 signed cookies', await linesAbout(started, byCookie));
    printed.set('307 presigned redirect', await linesAbout(started, redirected));
    printed.set('403 refusal', await linesAbout(started, refused));
    printed.set('413 request body', await linesAbout(started, tooLarge));
    printed.set('payload cut', await linesAbout(limited, cut));
    printed.set('function error', await linesAbout(limited, timedOut));

    const everything = `${withoutSignHint(output(started))}\n${output(limited)}`;
    const leaked = [...secrets].filter((secret) => everything.includes(secret));

    // Assess: each path answered as intended and printed at least one line about its request; no secret printed
    expect([ranged.status, byCookie.status, redirected.status, refused.status, tooLarge.status]).toEqual([
      206, 206, 307, 403, 413,
    ]);
    expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(cut.complete).toBe(false);
    // Status and body together, so a failure says which answer came instead of Lambda's timeout.
    expect({ status: timedOut.status, body: timedOut.body.toString('utf8').slice(0, 300) }).toEqual({
      status: 502,
      body: expect.any(String),
    });
    for (const [path, lines] of printed) expect({ path, printed: lines.length > 0 }).toEqual({ path, printed: true });
    expect(printed.get('413 request body')?.join('\n')).toContain('413');
    expect(printed.get('payload cut')?.join('\n')).toContain('cut');
    expect(printed.get('function error')?.join('\n')).toMatch(/Timedout|timeout/);
    expect(secrets.size).toBeGreaterThan(10);
    expect(leaked).toEqual([]);
    expect(everything).toContain('REDACTED');
  }, 180_000);
});
