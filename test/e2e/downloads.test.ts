/**
 * Downloads with curl, wget and aria2. A streamed Function URL answer has no Content-Length (chunked, the header
 * renamed to x-amzn-Remapped-Content-Length), so these clients showed no total, aria2 could not split the file
 * into segments, and `aria2c -c` left a partial file as it was and reported success. The origin answers every
 * `?download=` with a 307 to a presigned S3 URL that carries the download name (`response-content-disposition`)
 * and the origin's Content-Type, and every plain GET of an audio or video object, however small, with the same
 * 307; S3 answers with a length and serves the ranges of a resumed or segmented download. Each tool runs against
 * the origin and, as the control, against the same object straight from the S3-compatible server; every file
 * must equal the stored bytes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireTools } from '../support/require-tools.ts';
import { ARIA2C, CURL, WGET } from '../support/tools/requirements.ts';
import { SMALL_FILE_BYTES } from './support/page-driver.ts';
import { mediaBytes } from './support/paths.ts';
import { run, runOk } from './support/run.ts';
import { s3DirectUrl } from './support/s3-direct.ts';
import { type LocalStack, objectUrl, putObject, startE2eStack, workDirForSuite } from './support/stack.ts';

// Skipped (or failed with CI=true) when a tool is missing: see test/support/require-tools.ts.
const { describe, test } = requireTools(CURL, WGET, ARIA2C);

const key = 'e2e/download.bin';
/** Over 4 MiB, so aria2 (-x4 -s4, segments of at least 1 MiB) splits it in four. */
const stored = randomBytes(4 * 1024 * 1024 + 54_321);

let stack: LocalStack;
const workDir = workDirForSuite('media-origin-downloads-');

beforeAll(async () => {
  stack = await startE2eStack();
  await putObject(stack, key, stored, 'binary/octet-stream');
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const downloadUrl = (name: string) => `${objectUrl(stack, key)}?download=${encodeURIComponent(name)}`;

/** A fresh directory per run, so the name a tool chose is the only file in it. */
async function freshDir(label: string): Promise<string> {
  return mkdtemp(join(workDir(), `${label}-`));
}

describe.each([
  { via: 'the origin', url: () => Promise.resolve(downloadUrl('clip one.bin')), named: true },
  { via: 'S3 directly (control)', url: () => s3DirectUrl(stack, key), named: false },
])('from $via', ({ url, named }) => {
  test('curl -L -J -O: the total is known (Content-Length), the file is named as asked and byte-identical', async () => {
    // Prepare
    const dir = await freshDir('curl');

    // Act
    const result = await runOk(
      'curl',
      ['-sS', '-L', '-J', '-O', '--output-dir', dir, '-D', '-', '-w', '%{size_download}\n', await url()],
      { timeoutMs: 60_000 },
    );

    // Assess
    const headers = result.stdout.toString('utf8');
    const finalHead = headers.slice(headers.lastIndexOf('HTTP/'));
    expect(finalHead).toMatch(/^HTTP\/1\.1 200/);
    expect(finalHead).toMatch(new RegExp(`^content-length: ${stored.length}\\r$`, 'im'));
    const name = named ? 'clip one.bin' : 'download.bin';
    if (named) expect(finalHead).toMatch(/^content-disposition: attachment; filename="clip one.bin"/im);
    expect((await readFile(join(dir, name))).equals(stored)).toBe(true);
  }, 60_000);

  test('wget: "Length: N" (not "unspecified") and a byte-identical file', async () => {
    // Prepare
    const dir = await freshDir('wget');
    const file = join(dir, 'out.bin');

    // Act
    const result = await runOk('wget', ['-O', file, await url()], { timeoutMs: 60_000 });

    // Assess
    expect(result.stderr).toMatch(new RegExp(`Length: ${stored.length} `));
    expect(result.stderr).not.toMatch(/Length: unspecified/);
    expect((await readFile(file)).equals(stored)).toBe(true);
  }, 60_000);

  test('wget -c resumes a partial file to the stored bytes', async () => {
    // Prepare
    const dir = await freshDir('wget-c');
    const file = join(dir, 'out.bin');
    await writeFile(file, stored.subarray(0, 1_000_003));

    // Act
    const result = await run('wget', ['-c', '-O', file, await url()], { timeoutMs: 60_000 });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/206 Partial Content/);
    expect((await readFile(file)).equals(stored)).toBe(true);
  }, 60_000);

  test('aria2c -x4 -s4 downloads in several ranged segments and the file is byte-identical', async () => {
    // Prepare
    const dir = await freshDir('aria2');

    // Act
    const result = await runOk(
      'aria2c',
      [
        '-x4',
        '-s4',
        '-k1M',
        '--log=-',
        '--log-level=debug',
        '--summary-interval=0',
        '-d',
        dir,
        '-o',
        'out.bin',
        await url(),
      ],
      { timeoutMs: 90_000 },
    );

    // Assess: more than one segment was asked with its own Range, so aria2 knew the length.
    const ranges = new Set(result.stdout.toString('utf8').match(/^Range: bytes=\d+-\d*\r?$/gm) ?? []);
    expect(ranges.size).toBeGreaterThan(1);
    expect((await readFile(join(dir, 'out.bin'))).equals(stored)).toBe(true);
  }, 90_000);
});

test('curl -C - resumes a partial download through the origin (its Range request is answered by the origin)', async () => {
  // Prepare
  const dir = await freshDir('curl-c');
  const file = join(dir, 'out.bin');
  await writeFile(file, stored.subarray(0, 2_000_001));

  // Act
  const result = await run('curl', ['-sS', '-L', '-C', '-', '-o', file, downloadUrl('x.bin')], { timeoutMs: 60_000 });

  // Assess
  expect(result.code).toBe(0);
  expect((await readFile(file)).equals(stored)).toBe(true);
}, 60_000);

/**
 * Small media files (under 1 MiB) fetched the way a podcast app, a script or a mirror does: a plain GET, no
 * `?download=`. Through the origin as straight from S3 (the control, in the same test), the tool must learn the
 * length and end with the stored bytes.
 */
describe.each(['sample-40s.mp3', 'sample.mp3', 'sample.mp4'])('small media %s by plain GET', (mediaKey) => {
  /** The control first; `via` labels the assertions (a presigned URL carries a signature, kept out of the output). */
  const sources = async () => [
    { via: 'S3 (control)', url: await s3DirectUrl(stack, mediaKey) },
    { via: 'the origin', url: objectUrl(stack, mediaKey) },
  ];

  test('is a small file', () => {
    // Act / Assess
    expect(mediaBytes(mediaKey).length).toBeLessThan(SMALL_FILE_BYTES);
  });

  test('wget: "Length: N" (not "unspecified") and a byte-identical file, through the origin as from S3', async () => {
    // Prepare
    const stored = mediaBytes(mediaKey);
    for (const { via, url } of await sources()) {
      const file = join(await freshDir('wget-small'), 'out');

      // Act
      const result = await runOk('wget', ['-O', file, url], { timeoutMs: 60_000 });

      // Assess
      expect({ via, length: /Length: (\S+)/.exec(result.stderr)?.[1] }).toEqual({ via, length: String(stored.length) });
      expect({ via, identical: (await readFile(file)).equals(stored) }).toEqual({ via, identical: true });
    }
  }, 60_000);

  test('aria2c -c resumes a partial file with a Range request, through the origin as from S3', async () => {
    // Prepare: a third of the file already on disk. aria2 resumes only when the first answer told it the total;
    // without one it keeps the partial file as it is and still exits 0.
    const stored = mediaBytes(mediaKey);
    for (const { via, url } of await sources()) {
      const dir = await freshDir('aria2-small');
      await writeFile(join(dir, 'out'), stored.subarray(0, Math.floor(stored.length / 3)));

      // Act
      const result = await runOk(
        'aria2c',
        ['-c', '--log=-', '--log-level=debug', '--summary-interval=0', '-d', dir, '-o', 'out', url],
        { timeoutMs: 60_000 },
      );

      // Assess: the rest was asked with a Range, and the file is now the stored bytes.
      const ranges = result.stdout.toString('utf8').match(/^Range: bytes=\d+-\d*\r?$/gm) ?? [];
      expect({ via, resumed: ranges.length > 0 }).toEqual({ via, resumed: true });
      const identical = (await readFile(join(dir, 'out'))).equals(stored);
      expect({ via, identical }).toEqual({ via, identical: true });
    }
  }, 60_000);
});
