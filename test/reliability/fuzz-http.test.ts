/**
 * Hostile input over real HTTP: a smaller number of the same generated requests as
 * fuzz-handler.test.ts, sent through the local Function URL to the real handler and the real embedded S3, with
 * KEY_PREFIX set. What the in-process fuzz cannot see is checked here: the bytes on the wire, the HTTP framing
 * (a clean end only when every declared byte arrived), and header injection as a real HTTP parser would
 * receive it (node's client refuses a response whose headers carry CR/LF, so a broken header is a transport
 * error here).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { type ViewerResult, viewerRequest } from '../support/viewer-request.ts';
import {
  hostileDownloadName,
  hostileHeaders,
  hostilePath,
  isHeaderSafe,
  SAFE_CONTENT_DISPOSITION,
} from './support/hostile-inputs.ts';
import { checkResponse } from './support/invariant.ts';
import { objectBytes, type Rig, startRig } from './support/rig.ts';

const PREFIX = 'media/';
const SIZE = 50_000;
const RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_121);
const QUOTED_KEY = 'a"b;c d\'e.mp4';

const tried: Record<string, number> = {};

describe('hostile input over real HTTP through the local Function URL', () => {
  let rig: Rig;
  let etag: string;
  let lastModified: Date;
  let secret: Buffer;

  beforeAll(async () => {
    rig = await startRig({ KEY_PREFIX: PREFIX, OPEN_RANGE_CAP_BYTES: '20000', S3_FIRST_BYTE_TIMEOUT_MS: '5000' });
    etag = await rig.put(`${PREFIX}clip.bin`, objectBytes(SIZE, 51), 'video/mp4');
    await rig.put(`${PREFIX}${QUOTED_KEY}`, objectBytes(2000, 52), 'video/mp4');
    secret = objectBytes(3000, 53);
    await rig.put('outside/secret.bin', secret);
    const probe = await viewerRequest(rig.url('clip.bin'), { method: 'HEAD' });
    lastModified = new Date(String(probe.headers['last-modified']));
  });

  afterAll(async () => {
    await rig?.close();
    process.stdout.write(`fuzz-http cases tried: ${JSON.stringify(tried)}\n`);
  });

  function assertSane(result: ViewerResult, key: string): void {
    if (result.timedOut) throw new Error('hang: no complete answer within the client timeout');
    if (result.status === 0) throw new Error(`transport error: ${result.error}`);
    if (result.status >= 500) throw new Error(`status ${result.status}: ${result.body.toString().slice(0, 200)}`);
    const verdict = checkResponse(result, rig.versions(key));
    if (verdict.kind === 'incomplete') throw new Error(`incomplete answer ${JSON.stringify(verdict)}`);
  }

  test(`Range and conditional headers (${RUNS} cases)`, async () => {
    // Prepare
    const arbitrary = hostileHeaders(SIZE, etag, lastModified).filter(({ headers }) =>
      Object.values(headers).every(isHeaderSafe),
    );
    const statuses = new Set<number>();

    // Act
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ method, headers }) => {
        const result = await viewerRequest(rig.url('clip.bin'), { method, headers, timeoutMs: 15_000 });
        assertSane(result, `${PREFIX}clip.bin`);
        statuses.add(result.status);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    tried.headers = RUNS;

    // Assess
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 206, 412, 416]));
  }, 300_000);

  test(`hostile paths (${RUNS} cases) stay inside KEY_PREFIX`, async () => {
    // Prepare
    const before = rig.proxy.log.length;
    const statuses = new Set<number>();

    // Act
    await fc.assert(
      fc.asyncProperty(hostilePath(), async (path) => {
        const result = await viewerRequest(rig.url(path), { headers: { range: 'bytes=0-99' }, timeoutMs: 15_000 });
        const decoded = (() => {
          try {
            return decodeURIComponent(path.slice(1));
          } catch {
            return '';
          }
        })();
        assertSane(result, `${PREFIX}${decoded}`);
        if (result.body.length > 0 && secret.includes(result.body.subarray(0, 16))) {
          throw new Error(`bytes of the object outside the prefix were served for ${path}`);
        }
        statuses.add(result.status);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    tried.paths = RUNS;

    // Assess: what reached the store, over the wire, was always under the prefix.
    const storePaths = rig.proxy.log
      .slice(before)
      .map((request) => decodeURIComponent(request.path.split('?')[0] ?? ''));
    expect(storePaths.filter((p) => !p.startsWith(`/reliability/${PREFIX}`))).toEqual([]);
    expect(statuses.has(400)).toBe(true);
  }, 300_000);

  test(`download names (${RUNS} cases) cannot inject headers`, async () => {
    // Prepare
    const keyPath = fc.constantFrom('clip.bin', encodeURIComponent(QUOTED_KEY));

    // Act
    await fc.assert(
      fc.asyncProperty(keyPath, hostileDownloadName(), async (path, name) => {
        const url = rig.url(`${path}?download=${encodeURIComponent(name.toWellFormed())}`);
        const result = await viewerRequest(url, { headers: { range: 'bytes=0-9' }, timeoutMs: 15_000 });
        assertSane(result, `${PREFIX}${decodeURIComponent(path)}`);
        const disposition = result.headers['content-disposition'];
        if (typeof disposition !== 'string' || !SAFE_CONTENT_DISPOSITION.test(disposition)) {
          throw new Error(`unsafe Content-Disposition ${String(disposition)}`);
        }
        // One Content-Disposition, and no header the name could have smuggled in.
        const names = result.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
        if (names.filter((n) => n === 'content-disposition').length !== 1) throw new Error('repeated disposition');
        if (names.includes('set-cookie') || names.includes('x-injected')) throw new Error(`injected: ${names}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    tried.downloadNames = RUNS;
  }, 300_000);
});
