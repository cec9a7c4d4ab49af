/**
 * The post-deploy checks, in the order a player probes a media URL (docs/players.md):
 *   HEAD                      200, Accept-Ranges: bytes, a length, an ETag
 *   Range: bytes=0-1          Safari/AVFoundation's probe: 206, exactly 2 bytes, Content-Range bytes 0-1/N
 *   Range: bytes=S-           Chrome/Firefox open-ended range: 206 with a TRUTHFUL Content-Range (may be capped)
 *   Range: bytes=N-           past the end: 416 with Content-Range bytes * /N (RFC 9110 §15.5.17)
 *   If-None-Match: <ETag>     revalidation: 304 without a body (RFC 9110 §13.1.2)
 *   GET without Range         plain-GET clients (GStreamer, WebKitGTK, downloads): a length, via 307 to S3 or
 *                             CloudFront's cache (plain-get-check.ts says which case the deployment is in)
 *   with --origin: a CORS GET (allowed origin, exposed Content-Range/Content-Length/Accept-Ranges/ETag) and a
 *   preflight for a Range request.
 * Each check is independent and reports PASS/FAIL with what it saw; the transport is injected for the tests.
 */
import type { RequestFn, SmokeResponse } from './http-request.ts';
import { checkPlainGet } from './plain-get-check.ts';

export interface CheckResult {
  readonly name: string;
  readonly pass: boolean;
  readonly status?: number;
  readonly elapsedMs?: number;
  readonly detail: string;
}

export interface SmokeOptions {
  /** Run the CORS checks with this Origin (e.g. the player page's origin). */
  readonly origin?: string;
}

/** Most body bytes read to verify an open-ended answer (the function caps those at 5 MiB by default). */
const OPEN_RANGE_READ_LIMIT = 64 * 1024 * 1024;
const ENTITY_TAG = /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;
const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;
const PLAYER_HEADERS = { 'accept-encoding': 'identity', 'user-agent': 'media-origin-smoke-test' };

class CheckFailure extends Error {}

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}

interface Probe {
  readonly name: string;
  run(): Promise<{ readonly response: SmokeResponse; readonly detail: string }>;
}

async function runProbe(probe: Probe): Promise<CheckResult> {
  try {
    const { response, detail } = await probe.run();
    return { name: probe.name, pass: true, status: response.status, elapsedMs: response.elapsedMs, detail };
  } catch (error) {
    if (error instanceof ProbeFailure) {
      return {
        name: probe.name,
        pass: false,
        status: error.response.status,
        elapsedMs: error.response.elapsedMs,
        detail: error.message,
      };
    }
    return { name: probe.name, pass: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/** A failed expectation together with the response it was about (for the STATUS and TIME columns). */
class ProbeFailure extends Error {
  readonly response: SmokeResponse;
  constructor(message: string, response: SmokeResponse, options?: ErrorOptions) {
    super(message, options);
    this.response = response;
  }
}

async function checked(
  response: SmokeResponse,
  assess: () => string,
): Promise<{ readonly response: SmokeResponse; readonly detail: string }> {
  try {
    return { response, detail: assess() };
  } catch (error) {
    if (error instanceof CheckFailure) throw new ProbeFailure(error.message, response, { cause: error });
    throw error;
  }
}

function parseContentRange(response: SmokeResponse): { start: number; end: number; size: number } {
  const value = response.headers['content-range'];
  const match = value === undefined ? null : CONTENT_RANGE.exec(value);
  expect(match !== null, `Content-Range must be "bytes a-b/N", got ${JSON.stringify(value ?? null)}`);
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

/** A streaming Function URL may rename Content-Length (docs/platform.md); accept the remapped name, say so. */
function declaredLength(response: SmokeResponse): { value: number; header: string } | undefined {
  for (const header of ['content-length', 'x-amzn-remapped-content-length']) {
    const raw = response.headers[header];
    if (raw !== undefined && /^\d+$/.test(raw)) return { value: Number(raw), header };
  }
  return undefined;
}

function listIncludes(list: string | undefined, item: string): boolean {
  if (list === undefined) return false;
  const items = list.split(',').map((entry) => entry.trim().toLowerCase());
  return items.includes('*') || items.includes(item.toLowerCase());
}

export async function runSmokeChecks(url: URL, request: RequestFn, options: SmokeOptions = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let size: number | undefined;
  let etag: string | undefined;

  results.push(
    await runProbe({
      name: 'HEAD',
      async run() {
        const asked = await request(url, { method: 'HEAD', headers: PLAYER_HEADERS, maxBodyBytes: 0 });
        // A public Function URL sends plain GETs/HEADs of large objects to S3: follow that one 307.
        const location = asked.status === 307 ? asked.headers.location : undefined;
        const response =
          location === undefined
            ? asked
            : await request(new URL(location, url), { method: 'HEAD', headers: PLAYER_HEADERS, maxBodyBytes: 0 });
        return checked(response, () => {
          expect(response.status === 200, `expected 200, got ${response.status}`);
          const length = declaredLength(response);
          const tag = response.headers.etag;
          // Recorded before the remaining assertions, so one missing header does not also skip the later checks.
          if (length !== undefined) size = length.value;
          if (tag !== undefined && ENTITY_TAG.test(tag)) etag = tag;
          expect(
            response.headers['accept-ranges'] === 'bytes',
            `Accept-Ranges must be "bytes", got ${JSON.stringify(response.headers['accept-ranges'] ?? null)}`,
          );
          expect(length !== undefined, 'no Content-Length (nor x-amzn-Remapped-Content-Length)');
          expect(
            tag !== undefined && ENTITY_TAG.test(tag),
            `ETag must be an entity-tag, got ${JSON.stringify(tag ?? null)}`,
          );
          const lengthNote = length.header === 'content-length' ? '' : ' (remapped by the Function URL)';
          return `Accept-Ranges: bytes; ${length.header}: ${length.value}${lengthNote}; ETag: ${tag}`;
        });
      },
    }),
  );

  results.push(
    await runProbe({
      name: 'Range bytes=0-1',
      async run() {
        const response = await request(url, {
          method: 'GET',
          headers: { ...PLAYER_HEADERS, range: 'bytes=0-1' },
          maxBodyBytes: 1024,
        });
        return checked(response, () => {
          expect(response.status === 206, `expected 206 (a 200 breaks seeking in Safari), got ${response.status}`);
          const range = parseContentRange(response);
          expect(
            size === undefined || range.size === size,
            `Content-Range length ${range.size} differs from HEAD's ${size}`,
          );
          size ??= range.size;
          const expectedEnd = Math.min(1, range.size - 1);
          expect(
            range.start === 0 && range.end === expectedEnd,
            `Content-Range must be bytes 0-${expectedEnd}/${range.size}, got bytes ${range.start}-${range.end}/${range.size}`,
          );
          expect(
            !response.truncated && response.body.length === expectedEnd + 1,
            `expected exactly ${expectedEnd + 1} body bytes, got ${response.truncated ? 'more than 1024' : response.body.length}`,
          );
          return `Content-Range: bytes 0-${expectedEnd}/${range.size}; ${response.body.length} body bytes`;
        });
      },
    }),
  );

  const total = size;
  if (total === undefined || total < 2) {
    results.push({
      name: 'open-ended, past-end and 304 checks',
      pass: false,
      detail:
        total === undefined
          ? 'skipped: the object size is unknown'
          : `skipped: the object has ${total} byte(s); point the smoke test at a media file`,
    });
    return results;
  }

  const start = Math.floor(total / 2);
  results.push(
    await runProbe({
      name: `Range bytes=${start}-`,
      async run() {
        const response = await request(url, {
          method: 'GET',
          headers: { ...PLAYER_HEADERS, range: `bytes=${start}-` },
          maxBodyBytes: OPEN_RANGE_READ_LIMIT,
        });
        return checked(response, () => {
          expect(response.status === 206, `expected 206, got ${response.status}`);
          const range = parseContentRange(response);
          expect(
            range.size === total && range.start === start && range.end >= start && range.end <= total - 1,
            `Content-Range must be bytes ${start}-E/${total} with ${start} <= E <= ${total - 1}, got ${response.headers['content-range']}`,
          );
          const claimed = range.end - range.start + 1;
          if (response.truncated) {
            expect(claimed > OPEN_RANGE_READ_LIMIT, `the body is longer than Content-Range's ${claimed} bytes`);
          } else {
            expect(
              response.body.length === claimed,
              `Content-Range promises ${claimed} bytes, the body has ${response.body.length}`,
            );
          }
          const capped =
            range.end < total - 1 ? ` (capped: ${claimed} of ${total - start} bytes, Content-Range truthful)` : '';
          return `Content-Range: ${response.headers['content-range']}${capped}`;
        });
      },
    }),
  );

  results.push(
    await runProbe({
      name: `Range bytes=${total}- (past end)`,
      async run() {
        const response = await request(url, {
          method: 'GET',
          headers: { ...PLAYER_HEADERS, range: `bytes=${total}-` },
          maxBodyBytes: 64 * 1024,
        });
        return checked(response, () => {
          expect(response.status === 416, `expected 416, got ${response.status}`);
          const value = response.headers['content-range'];
          expect(
            value === `bytes */${total}`,
            `Content-Range must be "bytes */${total}", got ${JSON.stringify(value ?? null)}`,
          );
          return `Content-Range: ${value}`;
        });
      },
    }),
  );

  if (etag === undefined) {
    results.push({ name: 'If-None-Match', pass: false, detail: 'skipped: HEAD gave no ETag' });
  } else {
    const tag = etag;
    results.push(
      await runProbe({
        name: 'If-None-Match: <ETag>',
        async run() {
          const response = await request(url, {
            method: 'GET',
            headers: { ...PLAYER_HEADERS, 'if-none-match': tag },
            maxBodyBytes: 64 * 1024,
          });
          return checked(response, () => {
            expect(response.status === 304, `expected 304, got ${response.status}`);
            expect(response.body.length === 0, `a 304 has no body, got ${response.body.length} bytes`);
            return `304 without a body for ${tag}`;
          });
        },
      }),
    );
  }

  results.push(await checkPlainGet(url, request, total));
  if (options.origin !== undefined) results.push(...(await corsChecks(url, request, options.origin)));
  return results;
}

async function corsChecks(url: URL, request: RequestFn, origin: string): Promise<CheckResult[]> {
  const allowsOrigin = (response: SmokeResponse): string => {
    const allowed = response.headers['access-control-allow-origin'];
    expect(
      allowed === origin || allowed === '*',
      `Access-Control-Allow-Origin must be ${origin} or *, got ${JSON.stringify(allowed ?? null)}`,
    );
    return allowed;
  };
  const get = await runProbe({
    name: 'CORS GET bytes=0-1',
    async run() {
      const response = await request(url, {
        method: 'GET',
        headers: { ...PLAYER_HEADERS, origin, range: 'bytes=0-1' },
        maxBodyBytes: 1024,
      });
      return checked(response, () => {
        expect(response.status === 206, `expected 206, got ${response.status}`);
        const allowed = allowsOrigin(response);
        const exposed = response.headers['access-control-expose-headers'];
        const missing = ['Content-Range', 'Content-Length', 'Accept-Ranges', 'ETag'].filter(
          (name) => !listIncludes(exposed, name),
        );
        expect(
          missing.length === 0,
          `Access-Control-Expose-Headers lacks ${missing.join(', ')} (players read them cross-origin)`,
        );
        return `Access-Control-Allow-Origin: ${allowed}; exposes Content-Range, Content-Length, Accept-Ranges, ETag`;
      });
    },
  });
  const preflight = await runProbe({
    name: 'CORS preflight (Range)',
    async run() {
      const response = await request(url, {
        method: 'OPTIONS',
        headers: {
          ...PLAYER_HEADERS,
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'range',
        },
        maxBodyBytes: 64 * 1024,
      });
      return checked(response, () => {
        expect(response.status === 204 || response.status === 200, `expected 204 or 200, got ${response.status}`);
        const allowed = allowsOrigin(response);
        expect(
          listIncludes(response.headers['access-control-allow-methods'], 'GET'),
          `Access-Control-Allow-Methods lacks GET: ${JSON.stringify(response.headers['access-control-allow-methods'] ?? null)}`,
        );
        expect(
          listIncludes(response.headers['access-control-allow-headers'], 'range'),
          `Access-Control-Allow-Headers lacks Range: ${JSON.stringify(response.headers['access-control-allow-headers'] ?? null)}`,
        );
        return `Access-Control-Allow-Origin: ${allowed}; allows GET with Range`;
      });
    },
  });
  return [get, preflight];
}
