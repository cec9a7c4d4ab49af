/**
 * What the origin itself answered, whatever the client: the local stack's demo page streams one record per
 * exchange with the local Function URL (request, status, Content-Range, where a 307 pointed, whether the body
 * went out complete) as Server-Sent Events on `/events`. Browser network events only exist for Chromium; this
 * log covers WebKitGTK, GStreamer, wget and every other client, so a player's failure can be read against
 * exactly what the origin sent it.
 */
import type { LocalStack } from './stack.ts';

/** The fields of the stack's exchange record the suites read (local/function-url/exchange-record.ts). */
export interface OriginExchange {
  readonly method: string;
  /** Path and query, signing values redacted. */
  readonly path: string;
  readonly range: string | null;
  readonly status: number | null;
  readonly contentRange: string | null;
  /** Where a 3xx sent the client: origin and path only (a presigned URL's query is its signature). */
  readonly redirectedTo: string | null;
  readonly bytes: number;
  readonly outcome: string;
}

export interface OriginExchanges {
  /** Every exchange reported since the log was opened, oldest first. */
  readonly records: readonly OriginExchange[];
  /** Position after the records seen so far: `since(mark())` is what happened after this call. */
  mark(): number;
  since(mark: number): OriginExchange[];
  /**
   * Resolves once `predicate` holds for the records since `mark`. A record is published when its exchange ends,
   * a moment after the client saw the answer; the guard only turns a missing record into a clear failure.
   */
  waitFor(mark: number, predicate: (records: readonly OriginExchange[]) => boolean, what: string): Promise<void>;
  close(): void;
}

const GUARD_MS = 15_000;

/**
 * Opens the stack's exchange stream. Resolves once the stream is connected (the server registers the client
 * before its head goes out), so every exchange after that is seen. The stream starts with the stack's backlog of
 * earlier exchanges: open it on a fresh stack, or read from a `mark()`.
 */
export async function openOriginExchanges(stack: Pick<LocalStack, 'demoUrl'>): Promise<OriginExchanges> {
  const abort = new AbortController();
  const response = await fetch(new URL('/events', stack.demoUrl), {
    signal: abort.signal,
    headers: { accept: 'text/event-stream' },
  });
  if (!response.ok || response.body === null) throw new Error(`exchange log: ${response.status} from /events`);
  const records: OriginExchange[] = [];
  const waiters = new Set<() => void>();
  const onFrame = (frame: string): void => {
    const data = frame
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (data === '') return;
    records.push(JSON.parse(data) as OriginExchange);
    for (const wake of waiters) wake();
  };
  // Frames end with a blank line (WHATWG HTML, "Server-sent events").
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        onFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  })().catch(() => undefined);

  return {
    records,
    mark: () => records.length,
    since: (mark) => records.slice(mark),
    waitFor: (mark, predicate, what) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate(records.slice(mark))) return;
          clearTimeout(guard);
          waiters.delete(check);
          resolve();
        };
        const guard = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`origin exchange log: no ${what}; got ${JSON.stringify(records.slice(mark))}`));
        }, GUARD_MS);
        waiters.add(check);
        check();
      }),
    close: () => abort.abort(),
  };
}
