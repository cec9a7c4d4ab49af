/**
 * Hostile input, in process: thousands of generated requests through the REAL handler, with S3
 * answered by aws-sdk-client-mock (test/support/fake-s3.ts, S3's own range rules) and the runtime's wire format
 * (local/runtimes/emulated/globals.ts). For every case: never a 5xx, never a hang (each invocation must settle
 * within a bound), every body byte-identical to the slice its status and Content-Range claim (the shared
 * invariant), no S3 key outside KEY_PREFIX ever requested, and no header an input could break.
 *
 * The seed is fixed so a run is reproducible; FUZZ_SEED=<n> explores other inputs, and a failure prints the
 * counterexample and the seed to replay it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import fc from 'fast-check';
import { installAwsLambdaGlobal } from '../../local/runtimes/emulated/globals.ts';
import { type FakeS3, installFakeS3, type StoredObject } from '../support/fake-s3.ts';
import { functionUrlEvent } from '../support/function-url-event.ts';
import {
  invokeStreamingHandler,
  lambdaContext,
  type StreamingInvocation,
} from '../support/invoke-streaming-handler.ts';
import { FOLLOWING_USER_AGENTS, NON_FOLLOWING_USER_AGENTS } from '../support/user-agents.ts';
import {
  hostileDownloadName,
  hostileHeaders,
  hostilePath,
  SAFE_CONTENT_DISPOSITION,
  tinyRanges,
} from './support/hostile-inputs.ts';
import { checkResponse, type Verdict } from './support/invariant.ts';
import { objectBytes } from './support/rig.ts';

const PREFIX = 'media/';
const SIZE = 5000;
const OPEN_RANGE_CAP = 3000;
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_121);
/** An invocation that has not settled after this long is a hang. */
const CASE_BOUND_MS = 5000;

const LAST_MODIFIED = new Date('2026-01-02T03:04:05Z');
const CLIP = objectBytes(SIZE, 41);
const SECRET = objectBytes(777, 42);
const QUOTED_KEY = 'a"b;c d\'e.mp4';
const stored = (body: Buffer, etag: string): StoredObject => ({
  body,
  etag,
  lastModified: LAST_MODIFIED,
  contentType: 'video/mp4',
});
const OBJECTS = new Map<string, StoredObject>([
  [`${PREFIX}clip.bin`, stored(CLIP, '"0123456789abcdef0123456789abcdef"')],
  [`${PREFIX}empty.bin`, stored(Buffer.alloc(0), '"d41d8cd98f00b204e9800998ecf8427e"')],
  [`${PREFIX}${QUOTED_KEY}`, stored(CLIP.subarray(0, 1000), '"11111111111111111111111111111111"')],
  ['outside/secret.bin', stored(SECRET, '"22222222222222222222222222222222"')],
]);
const CLIP_ETAG = '"0123456789abcdef0123456789abcdef"';

/** Cases tried per property, for docs/testing.md's figures. */
const tried: Record<string, number> = {};

// biome-ignore lint/suspicious/noControlCharactersInRegex: a header value with a control character is the bug.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

describe('hostile input through the real handler (in process, mocked S3)', () => {
  let handler: unknown;
  let fake: FakeS3;

  beforeAll(async () => {
    Object.assign(process.env, {
      BUCKET_NAME: 'fuzz-bucket',
      KEY_PREFIX: PREFIX,
      OPEN_RANGE_CAP_BYTES: String(OPEN_RANGE_CAP),
      MAX_RANGE_PARTS: '8',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIATESTTESTTESTTEST',
      AWS_SECRET_ACCESS_KEY: 'test',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    fake = installFakeS3({ objects: OBJECTS, bucket: 'fuzz-bucket', chunkSize: 1024 });
    installAwsLambdaGlobal();
    ({ handler } = await import('../../lambda/handler.ts'));
  });

  afterAll(() => {
    fake?.mock.restore();
    process.stdout.write(`fuzz-handler cases tried: ${JSON.stringify(tried)}\n`);
  });

  async function invoke(event: LambdaFunctionURLEvent): Promise<StreamingInvocation> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`hang: no answer within ${CASE_BOUND_MS} ms`)), CASE_BOUND_MS);
    });
    try {
      return await Promise.race([invokeStreamingHandler(handler, event, lambdaContext('fuzz')), hang]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The checks every case must pass; throws (failing the property) with what went wrong. */
  function assertSane(result: StreamingInvocation, method: string, key: string): Verdict {
    if (result.prelude === undefined) throw new Error('no prelude: the viewer would get a 200 with wrong headers');
    if (result.statusCode >= 500) throw new Error(`status ${result.statusCode}: ${result.body.toString()}`);
    for (const [name, value] of Object.entries(result.headers)) {
      if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) throw new Error(`header name ${JSON.stringify(name)}`);
      if (CONTROL.test(String(value))) throw new Error(`header ${name} carries a control character`);
    }
    const object = OBJECTS.get(key);
    const versions = new Map(object === undefined ? [] : [[object.etag, object.body]]);
    const verdict = checkResponse(
      { method, status: result.statusCode, headers: result.headers, body: result.body, complete: result.cleanEnd },
      versions,
    );
    // Nothing fails underneath in this test: every answer must end cleanly and completely.
    if (verdict.kind === 'incomplete') throw new Error(`incomplete answer ${JSON.stringify(verdict)}`);
    if (!result.cleanEnd) throw new Error(`unclean end: ${String(result.handlerError ?? result.streamError)}`);
    return verdict;
  }

  test(`Range and conditional headers (${RUNS} cases): no 5xx, no hang, only the claimed bytes`, async () => {
    // Prepare
    const arbitrary = hostileHeaders(SIZE, CLIP_ETAG, LAST_MODIFIED);
    const statuses = new Map<number, number>();

    // Act
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ method, headers }) => {
        const result = await invoke(functionUrlEvent({ method, path: '/clip.bin', headers }));
        assertSane(result, method, `${PREFIX}clip.bin`);
        statuses.set(result.statusCode, (statuses.get(result.statusCode) ?? 0) + 1);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    tried.headers = RUNS;

    // Assess: the generator reached every kind of answer, so the checks above were exercised on each.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 206, 304, 412, 416]));
  }, 300_000);

  test(`simple single ranges (${RUNS} cases) get exactly the slice RFC 9110 says, or 416`, async () => {
    // Prepare
    const spec = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: SIZE + 10 }), fc.integer({ min: 0, max: SIZE + 10 })).map(([a, b]) => ({
        header: `bytes=${Math.min(a, b)}-${Math.max(a, b)}`,
        first: Math.min(a, b),
        last: Math.max(a, b),
      })),
      fc.integer({ min: 0, max: SIZE + 10 }).map((a) => ({ header: `bytes=${a}-`, first: a, last: undefined })),
      fc.integer({ min: 0, max: SIZE + 10 }).map((n) => ({ header: `bytes=-${n}`, first: undefined, last: n })),
    );

    const userAgent = fc.option(
      fc.constantFrom(...Object.values(FOLLOWING_USER_AGENTS), ...Object.values(NON_FOLLOWING_USER_AGENTS)),
      { nil: undefined },
    );

    // Act
    await fc.assert(
      fc.asyncProperty(spec, userAgent, async ({ header, first, last }, ua) => {
        const headers = { range: header, ...(ua === undefined ? {} : { 'user-agent': ua }) };
        const result = await invoke(functionUrlEvent({ path: '/clip.bin', headers }));
        assertSane(result, 'GET', `${PREFIX}clip.bin`);
        let expected: string;
        if (first === undefined) {
          // Suffix (section 14.1.2): the last n bytes; -0 is unsatisfiable.
          expected = last === 0 ? `bytes */${SIZE}` : `bytes ${Math.max(0, SIZE - (last ?? 0))}-${SIZE - 1}/${SIZE}`;
        } else if (first >= SIZE) {
          expected = `bytes */${SIZE}`;
        } else if (last === undefined) {
          // Open-ended: at most OPEN_RANGE_CAP_BYTES for a browser or AVFoundation (truthful Content-Range),
          // the exact remainder for anyone else.
          const capped = (Object.values(FOLLOWING_USER_AGENTS) as string[]).includes(ua ?? '');
          expected = `bytes ${first}-${capped ? Math.min(SIZE - 1, first + OPEN_RANGE_CAP - 1) : SIZE - 1}/${SIZE}`;
        } else {
          expected = `bytes ${first}-${Math.min(last, SIZE - 1)}/${SIZE}`;
        }
        expect({ headers, status: result.statusCode, contentRange: result.headers['content-range'] }).toEqual({
          headers,
          status: expected.startsWith('bytes */') ? 416 : 206,
          contentRange: expected,
        });
      }),
      { numRuns: RUNS, seed: SEED },
    );
    tried.simpleRanges = RUNS;
  }, 300_000);

  test('thousands of tiny ranges (500 cases, up to 3000 parts each) stay bounded', async () => {
    // Act
    let multipart = 0;
    let whole = 0;
    await fc.assert(
      fc.asyncProperty(tinyRanges(SIZE), async (range) => {
        const result = await invoke(functionUrlEvent({ path: '/clip.bin', headers: { range } }));
        assertSane(result, 'GET', `${PREFIX}clip.bin`);
        // Never more parts than MAX_RANGE_PARTS (8): a part costs ~100 bytes of framing (RFC 9110 15.3.7.2).
        const parts = (result.body.toString('latin1').match(/\r\nContent-Range: /gi) ?? []).length;
        if (parts > 8) throw new Error(`${parts} parts for ${range.slice(0, 60)}...`);
        if (result.statusCode === 200) whole += 1;
        if (String(result.headers['content-type']).startsWith('multipart/')) multipart += 1;
      }),
      { numRuns: 500, seed: SEED },
    );
    tried.tinyRanges = 500;

    // Assess
    expect(whole).toBeGreaterThan(0);
    expect(multipart + whole).toBeGreaterThan(0);
  }, 300_000);

  test(`hostile paths (${RUNS} cases) never reach a key outside KEY_PREFIX and never 5xx`, async () => {
    // Prepare
    const outcomes = new Map<number, number>();

    // Act
    await fc.assert(
      fc.asyncProperty(hostilePath(), fc.constantFrom<'GET' | 'HEAD'>('GET', 'HEAD'), async (path, method) => {
        const before = fake.calls.length;
        const result = await invoke(functionUrlEvent({ method, path, headers: { range: 'bytes=0-99' } }));
        const keys = fake.calls.slice(before).map((call) => call.input.Key ?? '');
        for (const key of keys) {
          const escapes = !key.startsWith(PREFIX) || key.split('/').some((s) => s === '.' || s === '..' || s === '');
          if (escapes || CONTROL.test(key) || Buffer.byteLength(key) > 1024) {
            throw new Error(`S3 was asked for ${JSON.stringify(key)} (path ${path})`);
          }
        }
        const key = keys[0] ?? '';
        assertSane(result, method, key);
        if (result.body.length > 0 && SECRET.includes(result.body.subarray(0, 16))) {
          throw new Error(`bytes of the object outside the prefix were served for ${path}`);
        }
        outcomes.set(result.statusCode, (outcomes.get(result.statusCode) ?? 0) + 1);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    tried.paths = RUNS;

    // Assess: both refusals (400) and real answers were produced, so both branches were checked.
    expect(outcomes.get(400) ?? 0).toBeGreaterThan(0);
    expect((outcomes.get(404) ?? 0) + (outcomes.get(206) ?? 0)).toBeGreaterThan(0);
  }, 300_000);

  test(`download names and key names (${RUNS} cases) cannot inject into Content-Disposition`, async () => {
    // Prepare
    const keyPath = fc.constantFrom('/clip.bin', `/${encodeURIComponent(QUOTED_KEY)}`);
    let dispositions = 0;

    // Act
    await fc.assert(
      fc.asyncProperty(keyPath, hostileDownloadName(), fc.boolean(), async (path, name, bare) => {
        const query = bare ? 'download' : `download=${encodeURIComponent(name.toWellFormed())}`;
        const result = await invoke(functionUrlEvent({ path, query }));
        const key = `${PREFIX}${decodeURIComponent(path.slice(1))}`;
        assertSane(result, 'GET', key);
        const disposition = result.headers['content-disposition'];
        if (disposition === undefined) throw new Error(`no Content-Disposition for ?${query}`);
        if (!SAFE_CONTENT_DISPOSITION.test(disposition)) throw new Error(`unsafe Content-Disposition ${disposition}`);
        dispositions += 1;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    tried.downloadNames = RUNS;

    // Assess
    expect(dispositions).toBe(RUNS);
  }, 300_000);
});
