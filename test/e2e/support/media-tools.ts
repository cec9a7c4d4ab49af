/**
 * ffmpeg / ffprobe helpers for the e2e suites: decode to per-frame MD5 hashes, probe stream facts, and list the
 * byte ranges libavformat's HTTP client asked for (from its debug log).
 */
import { runOk } from './run.ts';

/** `ffmpeg -f framemd5` of every decoded frame of the selected streams: the full text (timestamps and hashes). */
export async function frameMd5(input: string, map = '0', extraInputArgs: readonly string[] = []): Promise<string> {
  return (await frameMd5WithLog(input, map, extraInputArgs, 'error')).framemd5;
}

/**
 * Like `frameMd5`, also returning ffmpeg's log at `loglevel` (use 'debug' to see its HTTP requests, 'trace' to
 * see the response headers too).
 */
export async function frameMd5WithLog(
  input: string,
  map: string,
  extraInputArgs: readonly string[],
  loglevel: 'error' | 'debug' | 'trace',
): Promise<{ framemd5: string; log: string }> {
  const { stdout, stderr } = await runOk('ffmpeg', [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    loglevel,
    ...extraInputArgs,
    '-i',
    input,
    '-map',
    map,
    '-f',
    'framemd5',
    '-',
  ]);
  return { framemd5: stdout.toString('utf8'), log: stderr };
}

/** Only the hash column of framemd5 output: container timestamps differ between MP4 and MPEG-TS, pixels do not. */
export function hashesOnly(framemd5: string): string[] {
  return framemd5
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(',').at(-1)?.trim() ?? '');
}

/** Stream and format facts that must not depend on how the bytes were read (file or HTTP). */
export async function probe(input: string, extraInputArgs: readonly string[] = []): Promise<unknown> {
  const { stdout } = await runOk('ffprobe', [
    '-hide_banner',
    '-loglevel',
    'error',
    ...extraInputArgs,
    '-show_entries',
    'format=format_name,duration,size:stream=index,codec_type,codec_name,profile,width,height,sample_rate,channels,nb_frames,duration',
    '-of',
    'json',
    input,
  ]);
  return JSON.parse(stdout.toString('utf8'));
}

/**
 * The Range headers in the requests libavformat's http protocol logged at `-loglevel debug`
 * (lines "request: GET /path HTTP/1.1" followed by the request headers).
 */
export function loggedRanges(debugLog: string): string[] {
  const ranges: string[] = [];
  for (const block of debugLog.split(/request: GET /).slice(1)) {
    const headerBlock = block.split(/\r?\n\r?\n/)[0] ?? '';
    const match = /^Range: (bytes=\S+)/m.exec(headerBlock);
    if (match?.[1]) ranges.push(match[1]);
  }
  return ranges;
}

/** A request header libavformat's http protocol logged at `-loglevel debug`, per request, e.g. 'User-Agent'. */
export function loggedRequestHeader(debugLog: string, name: string): Array<string | undefined> {
  return debugLog
    .split(/request: GET /)
    .slice(1)
    .map((block) => {
      const headerBlock = block.split(/\r?\n\r?\n/)[0] ?? '';
      return new RegExp(`^${name}: (.+)$`, 'im').exec(headerBlock)?.[1]?.trim();
    });
}

/**
 * The Content-Range of every response libavformat's http protocol logged at `-loglevel trace`
 * (lines "header='content-range: bytes 0-99/1000'"), in order.
 */
export function loggedContentRanges(traceLog: string): string[] {
  return [...traceLog.matchAll(/header='content-range: ([^']*)'/gi)].map((match) => match[1] ?? '');
}

/** Top-level ISO BMFF boxes (ftyp, moov, mdat, ...) with their offsets: where the MP4 index sits. */
export function topLevelBoxes(bytes: Buffer): Array<{ type: string; offset: number; size: number }> {
  const boxes: Array<{ type: string; offset: number; size: number }> = [];
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (size === 1) size = Number(bytes.readBigUInt64BE(offset + 8));
    if (size === 0) size = bytes.length - offset;
    if (size < 8) throw new Error(`bad box size ${size} at ${offset}`);
    boxes.push({ type, offset, size });
    offset += size;
  }
  return boxes;
}
