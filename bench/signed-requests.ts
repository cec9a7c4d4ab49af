/**
 * `npm run bench:signed`: what the function's signed-request check costs per request, for the
 * decision whether the function should also verify behind CloudFront (docs/private-media.md, "Topologies").
 *
 * Measures admitSignedRequest (token extraction + query stripping + RSA verify + policy checks) on a full Function
 * URL event, in-process, after a warm-up: batches of N calls, the median batch divided by N, in microseconds of
 * CPU time (process.cpuUsage: what Lambda bills and what a request waits for on an idle core; on a shared machine
 * wall time mostly measures the neighbours) and, for reference, of wall time.
 * Rows: canned URL (RSA-SHA1), canned URL (SHA-256), custom policy URL, custom-policy cookies (a wildcard prefix),
 * a canned URL tried against 3 candidate hosts (worst case: the match is the last one), and the refusal of an
 * unsigned request (no crypto). One RSA-2048 key, as CloudFront requires.
 */
import { performance } from 'node:perf_hooks';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { admitSignedRequest, type SignedRequestPolicy } from '../lambda/signed-requests/admit-signed-request.ts';
import { functionUrlEvent } from '../test/support/function-url-event.ts';
import {
  cannedUrl,
  customCookies,
  customPolicy,
  customUrl,
  keysOf,
  rawQueryOf,
  testKeyPair,
} from '../test/support/signing-keys.ts';

const BATCH = 200;
const BATCHES = 40;
const HOST = 'abcdefghij.lambda-url.us-east-1.on.aws';
const BASE = `https://${HOST}`;
const pair = testKeyPair('K2JCJMDEHXQW5F');
const policy: SignedRequestPolicy = { keys: keysOf(pair), baseUrls: [] };
const threeBases: SignedRequestPolicy = {
  keys: policy.keys,
  baseUrls: ['https://media.example.com', 'https://d111.cloudfront.net'],
};
const expires = Math.floor(Date.now() / 1000) + 3600;

const urlEvent = (url: string): LambdaFunctionURLEvent =>
  functionUrlEvent({ path: new URL(url).pathname, query: rawQueryOf(url) });

const cases: ReadonlyArray<readonly [string, LambdaFunctionURLEvent, SignedRequestPolicy]> = [
  ['canned URL, RSA-SHA1', urlEvent(cannedUrl(pair, `${BASE}/media/clip.mp4`, expires)), policy],
  ['canned URL, RSA-SHA256', urlEvent(cannedUrl(pair, `${BASE}/media/clip.mp4`, expires, 'SHA256')), policy],
  [
    'custom policy URL (IP + window)',
    urlEvent(
      customUrl(
        pair,
        `${BASE}/media/clip.mp4`,
        customPolicy({ resource: `${BASE}/media/clip.mp4`, dateLessThan: expires, sourceIp: '127.0.0.0/8' }),
      ),
    ),
    policy,
  ],
  [
    'custom policy cookies (wildcard prefix)',
    {
      ...functionUrlEvent({ path: '/hls/720p/seg-00042.ts' }),
      cookies: customCookies(pair, customPolicy({ resource: `${BASE}/hls/*`, dateLessThan: expires })),
    },
    policy,
  ],
  [
    'canned URL, 3 candidate hosts, last matches',
    urlEvent(cannedUrl(pair, `${BASE}/media/clip.mp4`, expires)),
    threeBases,
  ],
  ['unsigned request (refused, no crypto)', functionUrlEvent({ path: '/media/clip.mp4' }), policy],
];

const rows: string[] = [];
for (const [name, event, casePolicy] of cases) {
  const expected = name.startsWith('unsigned') ? 'missing' : undefined;
  const check = admitSignedRequest(event, casePolicy, Date.now());
  if (check.refusal !== expected) throw new Error(`${name}: expected ${String(expected)}, got ${check.refusal}`);
  for (let i = 0; i < BATCH * 5; i += 1) admitSignedRequest(event, casePolicy, Date.now());
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let b = 0; b < BATCHES; b += 1) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    for (let i = 0; i < BATCH; i += 1) admitSignedRequest(event, casePolicy, Date.now());
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / BATCH);
    wall.push(((performance.now() - start) * 1000) / BATCH);
  }
  rows.push(`| ${name} | ${median(cpu).toFixed(1)} | ${quantile(cpu, 0.9).toFixed(1)} | ${median(wall).toFixed(1)} |`);
}
process.stdout.write(
  `Signed-request check per request (node ${process.version}, ${BATCHES} batches of ${BATCH})\n\n` +
    '| case | CPU µs (median) | CPU µs (p90) | wall µs (median) |\n|---|---:|---:|---:|\n' +
    `${rows.join('\n')}\n`,
);

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
}

function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}
