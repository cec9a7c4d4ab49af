/**
 * Which case a deployment is in for plain-GET clients (GStreamer, WebKitGTK, wget, aria2, browser
 * downloads open with a GET without Range and learn the length only from Content-Length):
 *   - 307 to S3 (a public Function URL with PLAIN_GET_REDIRECT=presigned-s3): the redirect target must answer 200
 *     with Content-Length equal to the object size;
 *   - 200 with Content-Length (CloudFront serving from its cache);
 *   - 200 without Content-Length (chunked from the streaming Function URL): the GET is repeated once, and the
 *     second answer says whether CloudFront's cache now gives the length (X-Cache: Hit ...).
 * PASS when a plain-GET client gets a length on the first or the second try; the detail names the case.
 */
import type { CheckResult } from './checks.ts';
import type { RequestFn, SmokeResponse } from './http-request.ts';

const HEADERS = { 'accept-encoding': 'identity', 'user-agent': 'media-origin-smoke-test (plain GET)' };
/** Enough to see headers; the body is cut after this (the smoke test never downloads a movie). */
const READ_LIMIT = 64 * 1024;

function length(response: SmokeResponse): number | undefined {
  const raw = response.headers['content-length'];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

function cacheNote(response: SmokeResponse): string {
  const xCache = response.headers['x-cache'];
  return xCache === undefined ? '' : ` (X-Cache: ${xCache})`;
}

export async function checkPlainGet(url: URL, request: RequestFn, size: number | undefined): Promise<CheckResult> {
  const name = 'plain GET (no Range)';
  try {
    const first = await request(url, { method: 'GET', headers: HEADERS, maxBodyBytes: READ_LIMIT });
    if (first.status === 307) {
      const location = first.headers.location;
      if (location === undefined) return { name, pass: false, status: 307, detail: '307 without Location' };
      const target = await request(new URL(location, url), {
        method: 'GET',
        headers: HEADERS,
        maxBodyBytes: READ_LIMIT,
      });
      const targetLength = length(target);
      const pass = target.status === 200 && targetLength !== undefined && (size === undefined || targetLength === size);
      return {
        name,
        pass,
        status: first.status,
        elapsedMs: first.elapsedMs,
        detail: `307 to ${new URL(location, url).host} (S3: plain-GET redirect on), which answered ${target.status} with Content-Length ${targetLength ?? 'none'}${size === undefined ? '' : ` (object: ${size})`}; cache-control ${first.headers['cache-control'] ?? 'none'}`,
      };
    }
    if (first.status !== 200) {
      return {
        name,
        pass: false,
        status: first.status,
        elapsedMs: first.elapsedMs,
        detail: `expected 200 or 307, got ${first.status}`,
      };
    }
    if (length(first) !== undefined) {
      return {
        name,
        pass: true,
        status: 200,
        elapsedMs: first.elapsedMs,
        detail: `200 with Content-Length ${length(first)}${cacheNote(first)}: plain-GET clients can seek`,
      };
    }
    const second = await request(url, { method: 'GET', headers: HEADERS, maxBodyBytes: READ_LIMIT });
    const secondLength = length(second);
    return {
      name,
      pass: second.status === 200 && secondLength !== undefined,
      status: second.status,
      elapsedMs: second.elapsedMs,
      detail:
        secondLength === undefined
          ? `chunked 200 without Content-Length twice${cacheNote(second)}: GStreamer/WebKitGTK find it unseekable, downloads show no size (PLAIN_GET_REDIRECT=presigned-s3 on a public URL, or a CloudFront cache fill, gives the length)`
          : `1st: chunked without length${cacheNote(first)}; 2nd: Content-Length ${secondLength}${cacheNote(second)} (CloudFront's cache gives the length once filled)`,
    };
  } catch (error) {
    return { name, pass: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
