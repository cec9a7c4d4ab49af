/**
 * The smoke test against a tiny local HTTP server (loopback, ephemeral port) that serves one object with
 * correct RFC 9110 range and conditional semantics - and against faults a real deployment shows (a Range
 * answered with 200, a lying Content-Range, no 304, missing CORS exposure). Each fault must turn exactly the
 * matching check to FAIL, and the CLI must exit non-zero.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseSmokeArgs } from '../../../bin/smoke/args.ts';
import { type CheckResult, runSmokeChecks } from '../../../bin/smoke/checks.ts';
import { createHttpRequest } from '../../../bin/smoke/http-request.ts';
import { formatReport } from '../../../bin/smoke/report.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const OBJECT = randomBytes(10_000);
const ETAG = '"0123456789abcdef"';
const CAP = 3000;

type Fault =
  | 'none'
  | 'range-ignored'
  | 'lying-content-range'
  | 'no-304'
  | 'no-accept-ranges'
  | 'no-cors-expose'
  | 'remapped-length'
  | 'uncapped-open-range'
  | 'plain-get-redirect'
  | 'cache-fill';

/** Plain GETs seen so far (the 'cache-fill' fault answers the first one chunked, like a CloudFront miss). */
let plainGets = 0;

let fault: Fault = 'none';
let server: http.Server;
let base: string;

/** A correct media origin in 60 lines, plus switchable faults. */
function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const size = OBJECT.length;
  const origin = req.headers.origin;
  const cors: Record<string, string> =
    origin === undefined
      ? {}
      : {
          'access-control-allow-origin': origin,
          vary: 'Origin',
          ...(fault === 'no-cors-expose'
            ? {}
            : { 'access-control-expose-headers': 'Content-Range, Content-Length, Accept-Ranges, ETag' }),
        };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      ...cors,
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers': 'Range',
    });
    res.end();
    return;
  }
  const plain = req.headers.range === undefined && req.headers['if-none-match'] === undefined;
  if (fault === 'plain-get-redirect' && plain && !(req.url ?? '').startsWith('/s3/')) {
    res.writeHead(307, { location: '/s3/movie.mp4?X-Amz-Signature=abc', 'cache-control': 'private, no-store' });
    res.end();
    return;
  }
  if (fault === 'cache-fill' && plain && req.method === 'GET') {
    plainGets += 1;
    const hit = plainGets > 1;
    res.writeHead(200, {
      etag: ETAG,
      'x-cache': hit ? 'Hit from cloudfront' : 'Miss from cloudfront',
      ...(hit ? { 'content-length': String(OBJECT.length) } : {}),
    });
    res.end(OBJECT);
    return;
  }
  const base: Record<string, string> = { ...cors, etag: ETAG, 'content-type': 'video/mp4' };
  if (fault !== 'no-accept-ranges') base['accept-ranges'] = 'bytes';
  if (req.headers['if-none-match'] === ETAG && fault !== 'no-304') {
    res.writeHead(304, base);
    res.end();
    return;
  }
  const match = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (match === null || fault === 'range-ignored') {
    const length =
      fault === 'remapped-length'
        ? { 'x-amzn-remapped-content-length': String(size) }
        : { 'content-length': String(size) };
    res.writeHead(200, { ...base, ...length });
    res.end(req.method === 'HEAD' ? undefined : OBJECT);
    return;
  }
  const start = Number(match[1]);
  if (start >= size) {
    res.writeHead(416, { ...base, 'content-range': `bytes */${size}` });
    res.end();
    return;
  }
  const openEnded = match[2] === '';
  const cappedEnd = openEnded && fault !== 'uncapped-open-range' ? Math.min(size - 1, start + CAP - 1) : size - 1;
  const end = Math.min(openEnded ? cappedEnd : Number(match[2]), size - 1);
  const claimedEnd = fault === 'lying-content-range' ? size - 1 : end;
  res.writeHead(206, { ...base, 'content-range': `bytes ${start}-${claimedEnd}/${size}` });
  res.end(OBJECT.subarray(start, end + 1));
}

beforeAll(async () => {
  server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  fault = 'none';
});

async function check(options: { origin?: string } = {}): Promise<Record<string, CheckResult>> {
  const results = await runSmokeChecks(new URL(`${base}/media/movie.mp4`), createHttpRequest(5000), options);
  return Object.fromEntries(results.map((result) => [result.name.replace(/\d+/g, 'N'), result]));
}

function failing(results: Record<string, CheckResult>): string[] {
  return Object.values(results)
    .filter((result) => !result.pass)
    .map((result) => result.name.replace(/\d+/g, 'N'));
}

test('a correct origin passes every check, CORS included', async () => {
  // Prepare: no fault
  // Act
  const results = await check({ origin: 'https://player.example' });
  // Assess
  expect(failing(results)).toEqual([]);
  expect(Object.keys(results)).toEqual([
    'HEAD',
    'Range bytes=N-N',
    'Range bytes=N-',
    'Range bytes=N- (past end)',
    'If-None-Match: <ETag>',
    'plain GET (no Range)',
    'CORS GET bytes=N-N',
    'CORS preflight (Range)',
  ]);
  expect(results['Range bytes=N-']?.detail).toBe(
    `Content-Range: bytes 5000-7999/10000 (capped: 3000 of 5000 bytes, Content-Range truthful)`,
  );
});

test('an uncapped open-ended answer passes too (the cap is the function’s choice)', async () => {
  // Prepare
  fault = 'uncapped-open-range';
  // Act
  const results = await check();
  // Assess
  expect(failing(results)).toEqual([]);
  expect(results['Range bytes=N-']?.detail).toBe('Content-Range: bytes 5000-9999/10000');
});

test('a length only in x-amzn-Remapped-Content-Length (streaming Function URL) is accepted and reported', async () => {
  // Prepare
  fault = 'remapped-length';
  // Act
  const results = await check();
  // Assess: only plain-GET clients lose (no length at all for them: GStreamer, WebKitGTK, downloads).
  expect(failing(results)).toEqual(['plain GET (no Range)']);
  expect(results.HEAD?.detail).toContain('x-amzn-remapped-content-length: 10000 (remapped by the Function URL)');
  expect(results['plain GET (no Range)']?.detail).toMatch(/^chunked 200 without Content-Length twice/);
});

test('a public Function URL that sends plain GETs to S3: HEAD follows the 307, the plain GET reports it', async () => {
  // Prepare
  fault = 'plain-get-redirect';
  // Act
  const results = await check();
  // Assess
  expect(failing(results)).toEqual([]);
  expect(results['plain GET (no Range)']?.status).toBe(307);
  expect(results['plain GET (no Range)']?.detail).toMatch(
    /^307 to 127\.0\.0\.1:\d+ \(S3: plain-GET redirect on\), which answered 200 with Content-Length 10000/,
  );
});

test('behind CloudFront: a chunked miss then a cached hit with Content-Length passes and says so', async () => {
  // Prepare
  fault = 'cache-fill';
  plainGets = 0;
  // Act
  const results = await check();
  // Assess
  expect(results['plain GET (no Range)']).toMatchObject({ pass: true, status: 200 });
  expect(results['plain GET (no Range)']?.detail).toBe(
    '1st: chunked without length (X-Cache: Miss from cloudfront); 2nd: Content-Length 10000 (X-Cache: Hit from cloudfront) (CloudFront’s cache gives the length once filled)'.replace(
      '’',
      "'",
    ),
  );
});

test.each<[Fault, string[]]>([
  ['range-ignored', ['Range bytes=N-N', 'Range bytes=N-', 'Range bytes=N- (past end)']],
  ['lying-content-range', ['Range bytes=N-N', 'Range bytes=N-']],
  ['no-304', ['If-None-Match: <ETag>']],
  ['no-accept-ranges', ['HEAD']],
])('fault %s fails exactly %j', async (injected, expected) => {
  // Prepare
  fault = injected;
  // Act
  const results = await check();
  // Assess
  expect(failing(results)).toEqual(expected);
});

test('missing Access-Control-Expose-Headers fails the CORS GET only', async () => {
  // Prepare
  fault = 'no-cors-expose';
  // Act
  const results = await check({ origin: 'https://player.example' });
  // Assess
  expect(failing(results)).toEqual(['CORS GET bytes=N-N']);
  expect(results['CORS GET bytes=N-N']?.detail).toContain('lacks Content-Range, Content-Length, Accept-Ranges, ETag');
});

test('an unreachable origin fails with the network error, not a crash', async () => {
  // Prepare: a port nobody listens on
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  // Act
  const results = await runSmokeChecks(new URL(`http://127.0.0.1:${port}/x.mp4`), createHttpRequest(2000));
  // Assess
  expect(results.every((result) => !result.pass)).toBe(true);
  expect(results[0]?.detail).toContain('ECONNREFUSED');
});

test('the report is a table with a verdict', () => {
  // Prepare
  const results: CheckResult[] = [
    { name: 'HEAD', pass: true, status: 200, elapsedMs: 12.4, detail: 'ok' },
    { name: 'Range bytes=0-1', pass: false, status: 200, elapsedMs: 3, detail: 'expected 206, got 200' },
  ];
  // Act
  const report = formatReport('https://d.example/a.mp4', results);
  // Assess
  expect(report.split('\n')).toEqual([
    'smoke test: https://d.example/a.mp4',
    'CHECK            RESULT  STATUS  TIME   DETAIL',
    'HEAD             PASS    200     12 ms  ok',
    'Range bytes=0-1  FAIL    200     3 ms   expected 206, got 200',
    '1 of 2 checks FAILED',
    '',
  ]);
});

describe('parseSmokeArgs', () => {
  test.each<[string[], unknown]>([
    [['https://d.example/a.mp4'], { url: new URL('https://d.example/a.mp4'), timeoutMs: 30_000 }],
    [
      ['https://d.example/a.mp4', '--origin', 'https://p.example', '--timeout-ms', '500'],
      {
        url: new URL('https://d.example/a.mp4'),
        origin: 'https://p.example',
        timeoutMs: 500,
      },
    ],
    [['--help'], 'help'],
    [[], { error: 'give exactly one URL' }],
    [['ftp://d.example/a.mp4'], { error: 'not an http(s) URL: ftp://d.example/a.mp4' }],
    [
      ['https://d.example/a.mp4', '--origin', 'https://p.example/'],
      { error: expect.stringContaining('--origin must be an origin') },
    ],
    [['https://d.example/a.mp4', '--timeout-ms', '0'], { error: expect.stringContaining('--timeout-ms') }],
    [['https://d.example/a.mp4', '--orign', 'x'], { error: expect.stringContaining("Unknown option '--orign'") }],
  ])('%j', (argv, expected) => {
    // Prepare: the arguments above
    // Act
    const parsed = parseSmokeArgs(argv);
    // Assess
    expect(parsed).toEqual(expected);
  });
});

describe('the CLI', () => {
  async function smoke(args: readonly string[]): Promise<{ code: number; stdout: string }> {
    try {
      const { stdout } = await run(join(root, 'node_modules/.bin/node'), ['bin/smoke-test.ts', ...args], { cwd: root });
      return { code: 0, stdout };
    } catch (error) {
      const failure = error as { code?: number; stdout?: string };
      return { code: failure.code ?? -1, stdout: failure.stdout ?? '' };
    }
  }

  test('exits 0 and prints the table when everything passes', async () => {
    // Prepare: no fault
    // Act
    const result = await smoke([`${base}/movie.mp4`, '--origin', 'https://player.example']);
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('all 8 checks passed');
  });

  test('exits 1 when a check fails', async () => {
    // Prepare
    fault = 'range-ignored';
    // Act
    const result = await smoke([`${base}/movie.mp4`]);
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Range bytes=0-1\s+FAIL\s+200/);
  });

  test('exits 2 on bad usage', async () => {
    // Prepare: no URL
    // Act
    const result = await smoke([]);
    // Assess
    expect(result.code).toBe(2);
  });
});
