/**
 * The check that every request a player made from a page was answered exactly (DASH and HLS players alike): a
 * request with `Range: bytes=a-b` got a 206 whose Content-Range is exactly a-b (b clamped only at EOF) and whose
 * body is those stored bytes; a request without a Range got the whole stored object. The records come from
 * page/request-recorder.js, which sees the players' XHR and fetch calls the same way in every browser.
 */

import { expect } from '@jest/globals';
import type { PageDriver } from './page-driver.ts';
import { mediaBytes, sha256 } from './paths.ts';
import { parseSingleRange } from './response-log.ts';

export interface RecordedRequest {
  readonly api: 'xhr' | 'fetch';
  readonly method: string;
  readonly url: string;
  /** The Range header the player set, if any. */
  readonly range: string | null;
  /** The URL that answered (differs from `url` after a redirect). */
  readonly responseUrl: string | null;
  /** null when the player aborted the request before any answer arrived. */
  readonly status: number | null;
  /** False when the player aborted the request before the body was read (a seek): no body to check. */
  readonly complete: boolean;
  readonly contentRange: string | null;
  readonly contentType: string | null;
  readonly byteLength: number | null;
  readonly sha256: string | null;
}

/** Every request the page's recorder saw, once the bodies still being read are in. */
export function settledRequests(driver: PageDriver): Promise<RecordedRequest[]> {
  return driver.evaluate<RecordedRequest[]>('window.e2eRequests.settle()');
}

/** The object key a request URL names: its path after `base` (the origin's URL or the bucket's S3 URL). */
export function keyOf(url: string, base: string): string | undefined {
  const { origin, pathname } = new URL(url);
  const prefix = new URL(base);
  const basePath = prefix.pathname.endsWith('/') ? prefix.pathname : `${prefix.pathname}/`;
  if (origin !== prefix.origin || !pathname.startsWith(basePath)) return undefined;
  return decodeURIComponent(pathname.slice(basePath.length));
}

function extension(key: string | undefined): string {
  return key?.split('.').at(-1) ?? '';
}

export interface RangeSummary {
  /** `key bytes=a-b` for every ranged request checked. */
  readonly ranges: readonly string[];
  /** Keys fetched whole (no Range). */
  readonly whole: readonly string[];
  /** Requests aborted by the player before their body was read (status and headers still checked). */
  readonly aborted: number;
  /** Requests aborted before any answer arrived (nothing to check). */
  readonly unanswered: number;
}

/**
 * Every request went to `base` (no redirect elsewhere) for a stored key, and was answered exactly: 206 with the
 * asked range (clamped only at EOF) and those bytes, or 200 with the whole object when no Range was sent, with
 * the Content-Type `types` names for the key's extension.
 */
export function expectExactAnswers(
  requests: readonly RecordedRequest[],
  base: string,
  types: Readonly<Record<string, string>>,
): RangeSummary {
  const ranges: string[] = [];
  const whole: string[] = [];
  let aborted = 0;
  let unanswered = 0;
  expect(requests.length).toBeGreaterThan(0);
  for (const request of requests) {
    const key = keyOf(request.url, base);
    expect({ url: request.url, key: key ?? null }).toEqual({ url: request.url, key: expect.any(String) });
    if (request.status === null) {
      unanswered += 1;
      continue;
    }
    expect(request.responseUrl === null ? null : keyOf(request.responseUrl, base)).toBe(key);
    const stored = mediaBytes(key ?? '');
    expect({ key, contentType: request.contentType }).toEqual({ key, contentType: types[extension(key)] });
    if (!request.complete) aborted += 1;
    if (request.range === null) {
      expect({ key, status: request.status }).toEqual({ key, status: 200 });
      if (request.complete) expect({ key, sha256: request.sha256 }).toEqual({ key, sha256: sha256(stored) });
      whole.push(key ?? '');
      continue;
    }
    const asked = parseSingleRange(request.range);
    expect({ key, range: request.range, parsed: asked !== undefined }).toEqual({
      key,
      range: request.range,
      parsed: true,
    });
    if (!asked) continue;
    const end = Math.min(asked.end ?? stored.length - 1, stored.length - 1);
    const expected = stored.subarray(asked.start, end + 1);
    expect({ key, range: request.range, status: request.status, contentRange: request.contentRange }).toEqual({
      key,
      range: request.range,
      status: 206,
      contentRange: `bytes ${asked.start}-${end}/${stored.length}`,
    });
    if (request.complete) {
      expect({ key, range: request.range, byteLength: request.byteLength, sha256: request.sha256 }).toEqual({
        key,
        range: request.range,
        byteLength: expected.length,
        sha256: sha256(expected),
      });
    }
    ranges.push(`${key} ${request.range}`);
  }
  return { ranges, whole, aborted, unanswered };
}
