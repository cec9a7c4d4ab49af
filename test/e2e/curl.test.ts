/**
 * curl against the origin: `-r` ranges (single, suffix, multiple) and a download that is interrupted and then
 * resumed with `-C -`, checked byte for byte against what is stored. An open-ended range (`bytes=N-`, what
 * `-C -` sends) from curl (`User-Agent: curl/...`) is answered with the exact remainder, so one `-C -` finishes
 * a download: curl writes a short 206 and exits 0 as if the file were whole, which is why the origin caps
 * open-ended ranges (OPEN_RANGE_CAP_BYTES) only for clients known to come back for the rest (browsers,
 * AVFoundation: lambda/http/follows-short-ranges.ts). With a browser User-Agent (`-A`) the answer is capped, its
 * Content-Range truthful (RFC 9110 section 15.3.7), and a resume is a loop of `curl -C -`. When the file is
 * already whole the origin answers 416 (its Content-Range is `bytes *` then `/size`); curl 7.88 then exits 0 and
 * leaves the file alone (with --fail: exit 22).
 *
 * Control: the same curl command against the same object straight from the S3-compatible server
 * (a presigned GetObject URL), in the same test. S3 never caps a range, so where the origin answers a browser
 * User-Agent with capped steps the control shows the whole remainder in one. The multi-range test has no
 * control: S3 GetObject serves one range only (several: the whole object, 200) and the embedded server answers
 * 416, so neither says anything about multipart/byteranges.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { boundaryOf, parseMultipartByteranges } from '../support/parse-multipart.ts';
import { requireTools } from '../support/require-tools.ts';
import { CURL } from '../support/tools/requirements.ts';
import { BROWSER_USER_AGENT } from '../support/user-agents.ts';
import { startCuttingProxy } from './support/cutting-proxy.ts';
import { mediaBytes } from './support/paths.ts';
import { run } from './support/run.ts';
import { s3DirectUrl } from './support/s3-direct.ts';
import { type LocalStack, objectUrl, putObject, startE2eStack, workDirForSuite } from './support/stack.ts';

// Skipped (or failed with CI=true) when a tool is missing: see test/support/require-tools.ts.
const { describe, test } = requireTools(CURL);

/** Small on purpose: with a browser User-Agent the 4 MiB object needs several capped 206s to resume. */
const openRangeCap = 1024 * 1024;
const bigKey = 'e2e/random.bin';
/** Not a multiple of the cap, so the last resume step is a short tail. */
const big = randomBytes(4 * 1024 * 1024 + 12_345);
const sample = mediaBytes('sample.mp4');

let stack: LocalStack;
const workDir = workDirForSuite('media-origin-curl-');

beforeAll(async () => {
  // PLAIN_GET_REDIRECT off: these tests are about the function's own streamed answers (plain GETs of large
  // objects would otherwise be sent to S3; test/e2e/downloads.test.ts covers that path).
  stack = await startE2eStack({
    functionEnv: { OPEN_RANGE_CAP_BYTES: String(openRangeCap), PLAIN_GET_REDIRECT: 'off' },
  });
  await putObject(stack, bigKey, big, 'application/octet-stream');
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

interface CurlAnswer {
  readonly code: number | null;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly stderr: string;
}

/** Parses the header block curl dumps with -D (the last block, after any 1xx). */
function parseDumpedHeaders(text: string): { status: number; headers: Record<string, string> } {
  const blocks = text.split(/\r?\n\r?\n/).filter((block) => block.startsWith('HTTP/'));
  const last = blocks.at(-1) ?? '';
  const [statusLine = '', ...lines] = last.split(/\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers };
}

let dumpCounter = 0;
async function curl(args: readonly string[]): Promise<CurlAnswer> {
  dumpCounter += 1;
  const dump = join(workDir(), `headers-${dumpCounter}.txt`);
  const result = await run('curl', ['--silent', '--show-error', '--http1.1', '--dump-header', dump, ...args]);
  const { status, headers } = parseDumpedHeaders(await readFile(dump, 'latin1').catch(() => ''));
  return { code: result.code, status, headers, body: result.stdout, stderr: result.stderr };
}

function expectCurlOk(answer: CurlAnswer): void {
  expect({ code: answer.code, stderr: answer.stderr }).toEqual({ code: 0, stderr: '' });
}

describe('curl -r', () => {
  test('-r 0-1 gives the first two bytes with a 206', async () => {
    // Act
    const control = await curl(['-r', '0-1', await s3DirectUrl(stack, 'sample.mp4')]);
    const answer = await curl(['-r', '0-1', objectUrl(stack, 'sample.mp4')]);

    // Assess: from S3 as through the origin
    for (const each of [control, answer]) {
      expectCurlOk(each);
      expect(each.status).toBe(206);
      expect(each.headers['content-range']).toBe(`bytes 0-1/${sample.length}`);
      expect(each.body.equals(sample.subarray(0, 2))).toBe(true);
    }
  }, 120_000);

  test('-r 100-199 gives exactly bytes 100..199', async () => {
    // Act
    const control = await curl(['-r', '100-199', await s3DirectUrl(stack, 'sample.mp4')]);
    const answer = await curl(['-r', '100-199', objectUrl(stack, 'sample.mp4')]);

    // Assess: from S3 as through the origin
    for (const each of [control, answer]) {
      expectCurlOk(each);
      expect(each.status).toBe(206);
      expect(each.headers['content-range']).toBe(`bytes 100-199/${sample.length}`);
      expect(each.body.equals(sample.subarray(100, 200))).toBe(true);
    }
  }, 120_000);

  test('-r -100 (a suffix range) gives the last 100 bytes', async () => {
    // Act
    const control = await curl(['-r', '-100', await s3DirectUrl(stack, 'sample.mp4')]);
    const answer = await curl(['-r', '-100', objectUrl(stack, 'sample.mp4')]);

    // Assess: from S3 as through the origin
    for (const each of [control, answer]) {
      expectCurlOk(each);
      expect(each.status).toBe(206);
      expect(each.headers['content-range']).toBe(`bytes ${sample.length - 100}-${sample.length - 1}/${sample.length}`);
      expect(each.body.equals(sample.subarray(sample.length - 100))).toBe(true);
    }
  }, 120_000);

  test('-r 0-1,100-199,-100 gives a multipart/byteranges body whose parts are the stored bytes', async () => {
    // Act
    const answer = await curl(['-r', '0-1,100-199,-100', objectUrl(stack, 'sample.mp4')]);

    // Assess
    expectCurlOk(answer);
    expect(answer.status).toBe(206);
    expect(answer.headers['content-range']).toBeUndefined();
    const parts = parseMultipartByteranges(answer.body, boundaryOf(answer.headers['content-type']));
    const tail = sample.length - 100;
    expect(parts.map((part) => part.headers['content-range'])).toEqual([
      `bytes 0-1/${sample.length}`,
      `bytes 100-199/${sample.length}`,
      `bytes ${tail}-${sample.length - 1}/${sample.length}`,
    ]);
    expect(parts.map((part) => part.headers['content-type'])).toEqual(['video/mp4', 'video/mp4', 'video/mp4']);
    expect(parts[0]?.data.equals(sample.subarray(0, 2))).toBe(true);
    expect(parts[1]?.data.equals(sample.subarray(100, 200))).toBe(true);
    expect(parts[2]?.data.equals(sample.subarray(tail))).toBe(true);
  }, 120_000);

  test('-r 1000- on an object larger than the cap gives curl the whole remainder, not a capped 206', async () => {
    // Act
    const control = await curl(['-r', '1000-', await s3DirectUrl(stack, bigKey)]);
    const answer = await curl(['-r', '1000-', objectUrl(stack, bigKey)]);

    // Assess: from S3 as through the origin
    expect(big.length - 1000).toBeGreaterThan(openRangeCap);
    for (const each of [control, answer]) {
      expectCurlOk(each);
      expect(each.status).toBe(206);
      expect(each.headers['content-range']).toBe(`bytes 1000-${big.length - 1}/${big.length}`);
      expect(each.body.equals(big.subarray(1000))).toBe(true);
    }
  }, 120_000);

  test('-A <browser> -r 1000- gives a capped 206 whose Content-Range says what was sent', async () => {
    // Act
    const control = await curl(['-A', BROWSER_USER_AGENT, '-r', '1000-', await s3DirectUrl(stack, bigKey)]);
    const answer = await curl(['-A', BROWSER_USER_AGENT, '-r', '1000-', objectUrl(stack, bigKey)]);

    // Assess: S3 does not cap (the control gets the whole remainder); the origin caps for this User-Agent.
    expectCurlOk(control);
    expect(control.status).toBe(206);
    expect(control.headers['content-range']).toBe(`bytes 1000-${big.length - 1}/${big.length}`);
    expect(control.body.equals(big.subarray(1000))).toBe(true);
    expectCurlOk(answer);
    expect(answer.status).toBe(206);
    expect(answer.headers['content-range']).toBe(`bytes 1000-${1000 + openRangeCap - 1}/${big.length}`);
    expect(answer.body.equals(big.subarray(1000, 1000 + openRangeCap))).toBe(true);
  }, 120_000);
});

describe('curl -C - (resume)', () => {
  /**
   * Resumes `file` with `curl -C -` (plus `extraArgs`) until it is as large as the object; returns the
   * Content-Range of every step. `capped`: each step may carry at most the cap, else the whole remainder.
   * Bounded: more steps than the cap allows means the origin is not making progress.
   */
  async function resumeUntilWhole(
    file: string,
    url: string,
    capped: boolean,
    extraArgs: readonly string[] = [],
  ): Promise<string[]> {
    const contentRanges: string[] = [];
    const maxSteps = Math.ceil(big.length / openRangeCap) + 1;
    for (let step = 0; step < maxSteps; step += 1) {
      const before = (await stat(file)).size;
      if (before >= big.length) break;
      const answer = await curl([...extraArgs, '-C', '-', '-o', file, url]);
      expectCurlOk(answer);
      expect(answer.status).toBe(206);
      // curl asked for bytes=<size of the partial file>-; the origin must answer from exactly there.
      const end = capped ? Math.min(before + openRangeCap, big.length) - 1 : big.length - 1;
      expect(answer.headers['content-range']).toBe(`bytes ${before}-${end}/${big.length}`);
      contentRanges.push(answer.headers['content-range'] ?? '');
    }
    return contentRanges;
  }

  /** A file holding the first 300,000 bytes of the big object, downloaded from `url` with `-r`. */
  async function partialDownload(name: string, url: string): Promise<string> {
    const file = join(workDir(), name);
    const first = await curl(['-r', '0-299999', '-o', file, url]);
    expectCurlOk(first);
    expect((await stat(file)).size).toBe(300_000);
    return file;
  }

  test('a partial download (-r 0-N) resumed with one -C - is byte-identical', async () => {
    // Prepare
    const controlUrl = await s3DirectUrl(stack, bigKey);
    const controlFile = await partialDownload('partial-s3.bin', controlUrl);
    const file = await partialDownload('partial.bin', objectUrl(stack, bigKey));

    // Act
    const controlSteps = await resumeUntilWhole(controlFile, controlUrl, false);
    const steps = await resumeUntilWhole(file, objectUrl(stack, bigKey), false);

    // Assess: the first resume already carried the whole remainder, from S3 as through the origin
    expect(controlSteps).toEqual([`bytes 300000-${big.length - 1}/${big.length}`]);
    expect((await readFile(controlFile)).equals(big)).toBe(true);
    expect(steps).toEqual([`bytes 300000-${big.length - 1}/${big.length}`]);
    expect((await readFile(file)).equals(big)).toBe(true);
  }, 120_000);

  test('with a browser User-Agent (-A) the resume is byte-identical too, in capped 206 steps', async () => {
    // Prepare
    const controlUrl = await s3DirectUrl(stack, bigKey);
    const controlFile = await partialDownload('partial-browser-s3.bin', controlUrl);
    const file = await partialDownload('partial-browser.bin', objectUrl(stack, bigKey));

    // Act
    const controlSteps = await resumeUntilWhole(controlFile, controlUrl, false, ['-A', BROWSER_USER_AGENT]);
    const steps = await resumeUntilWhole(file, objectUrl(stack, bigKey), true, ['-A', BROWSER_USER_AGENT]);

    // Assess: S3 does not cap, so the control resumes in one step; through the origin, in capped steps.
    expect(controlSteps).toEqual([`bytes 300000-${big.length - 1}/${big.length}`]);
    expect((await readFile(controlFile)).equals(big)).toBe(true);
    expect(steps).toHaveLength(Math.ceil((big.length - 300_000) / openRangeCap));
    expect((await readFile(file)).equals(big)).toBe(true);
  }, 120_000);

  /**
   * A plain GET (200, whole object) of `url` through a proxy that drops the connection after ~300 KB; returns
   * how many bytes reached the file. The request keeps `url`'s Host (a presigned URL signs it).
   */
  async function cutDownload(name: string, url: string): Promise<{ file: string; partial: number }> {
    const file = join(workDir(), name);
    const { origin, pathname, search, host } = new URL(url);
    const proxy = await startCuttingProxy(origin, 300_000);
    let cut: Awaited<ReturnType<typeof curl>>;
    try {
      cut = await curl(['-H', `Host: ${host}`, '-o', file, new URL(pathname + search, proxy.url).href]);
    } finally {
      await proxy.close();
    }
    // curl saw the body end early: exit 18 (partial file) or 56 (receive error), never success.
    expect(cut.status).toBe(200);
    expect([18, 56]).toContain(cut.code);
    const partial = (await stat(file)).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(300_000);
    // What made it to disk before the cut is a prefix of the object.
    expect((await readFile(file)).equals(big.subarray(0, partial))).toBe(true);
    return { file, partial };
  }

  test('a download cut mid-body by the network and resumed with -C - is byte-identical', async () => {
    // Prepare
    const controlUrl = await s3DirectUrl(stack, bigKey);
    const control = await cutDownload('cut-s3.bin', controlUrl);
    const { file, partial } = await cutDownload('cut.bin', objectUrl(stack, bigKey));

    // Act
    const controlSteps = await resumeUntilWhole(control.file, controlUrl, false);
    const steps = await resumeUntilWhole(file, objectUrl(stack, bigKey), false);

    // Assess: from S3 as through the origin
    expect(controlSteps).toEqual([`bytes ${control.partial}-${big.length - 1}/${big.length}`]);
    expect((await readFile(control.file)).equals(big)).toBe(true);
    expect(steps).toEqual([`bytes ${partial}-${big.length - 1}/${big.length}`]);
    expect((await readFile(file)).equals(big)).toBe(true);
  }, 120_000);

  test('-C - on a file that is already whole gets 416 and curl leaves the file untouched', async () => {
    // Prepare
    const controlFile = join(workDir(), 'whole-s3.bin');
    const file = join(workDir(), 'whole.bin');
    await writeFile(controlFile, big);
    await writeFile(file, big);

    // Act
    const control = await curl(['-C', '-', '-o', controlFile, await s3DirectUrl(stack, bigKey)]);
    const answer = await curl(['-C', '-', '-o', file, objectUrl(stack, bigKey)]);

    // Assess: S3 answers 416 too (InvalidRange) and curl leaves the file alone
    expect(control.status).toBe(416);
    expect(control.code).toBe(0);
    expect((await readFile(controlFile)).equals(big)).toBe(true);
    expect(answer.status).toBe(416);
    expect(answer.headers['content-range']).toBe(`bytes */${big.length}`);
    expect(answer.code).toBe(0);
    expect((await readFile(file)).equals(big)).toBe(true);
  }, 120_000);
});
