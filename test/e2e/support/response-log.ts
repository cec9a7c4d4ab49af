/**
 * Records what the browser actually asked the origin and what it got back, from Playwright's network events
 * (Chromium's DevTools protocol sees media-element, XHR and fetch requests alike). The e2e suites assert on
 * these records: Range header sent, status, Content-Range, Content-Type.
 */
import type { Page, Request, Response } from 'playwright-core';

export interface ResponseRecord {
  /** Order in which the browser reported the responses (assigned when the event fires, before any await). */
  readonly seq: number;
  readonly url: string;
  /** Path of the URL, e.g. "/sample.mp4" or "/hls/ts/segment-000.ts". */
  readonly path: string;
  readonly method: string;
  readonly resourceType: string;
  /** The Range request header as sent on the wire, if any. */
  readonly range: string | undefined;
  readonly status: number;
  /** All response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The response body (only available for XHR/fetch; media-element bodies are not kept by Chromium). */
  readonly body: () => Promise<Buffer>;
  /**
   * Once the load has ended: null when its body arrived in full, else Chromium's error text (e.g.
   * `net::ERR_ABORTED` when the page cancelled the load; Chromium then keeps no body to read).
   */
  readonly failure: () => Promise<string | null>;
}

export interface ResponseLog {
  /** Records for responses whose URL starts with the origin given to `recordResponses`. */
  readonly records: ResponseRecord[];
  /** Waits until every response seen so far has its headers collected. */
  settle(): Promise<void>;
  /** Records for one path, in arrival order. */
  forPath(path: string): ResponseRecord[];
  stop(): void;
}

export function recordResponses(page: Page, origin: string): ResponseLog {
  const records: ResponseRecord[] = [];
  const pending = new Set<Promise<void>>();
  const endings = new Map<Request, (failure: string | null) => void>();
  const onFinished = (request: Request): void => endings.get(request)?.(null);
  const onFailed = (request: Request): void => endings.get(request)?.(request.failure()?.errorText ?? 'failed');
  let counter = 0;
  const onResponse = (response: Response): void => {
    const url = response.url();
    if (!url.startsWith(origin)) return;
    const seq = counter++;
    const request = response.request();
    // Every request ends in exactly one of 'requestfinished' and 'requestfailed', both after 'response'.
    // (Playwright's response.finished() never settles for a failed one.)
    const ended = new Promise<string | null>((resolve) => endings.set(request, resolve));
    const collect = (async () => {
      // allHeaders() includes headers the network stack adds (Range for media), unlike headers().
      const [requestHeaders, responseHeaders] = await Promise.all([request.allHeaders(), response.allHeaders()]);
      records.push({
        seq,
        url,
        path: new URL(url).pathname,
        method: request.method(),
        resourceType: request.resourceType(),
        range: requestHeaders.range,
        status: response.status(),
        headers: responseHeaders,
        body: () => response.body(),
        failure: () => ended,
      });
    })();
    pending.add(collect);
    void collect.finally(() => pending.delete(collect));
  };
  page.on('response', onResponse);
  page.on('requestfinished', onFinished);
  page.on('requestfailed', onFailed);
  return {
    records,
    settle: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    forPath: (path) => records.filter((record) => record.path === path).sort((a, b) => a.seq - b.seq),
    stop: () => {
      page.off('response', onResponse);
      page.off('requestfinished', onFinished);
      page.off('requestfailed', onFailed);
    },
  };
}

/** `bytes 100-199/2000` -> { start: 100, end: 199, size: 2000 }; anything else -> undefined. */
export function parseContentRange(value: string | undefined): { start: number; end: number; size: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

/** A single-range Range header `bytes=a-b` or `bytes=a-` -> { start, end? }; anything else -> undefined. */
export function parseSingleRange(value: string | undefined): { start: number; end: number | undefined } | undefined {
  const match = /^bytes=(\d+)-(\d*)$/.exec(value ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), end: match[2] === '' ? undefined : Number(match[2]) };
}
