/**
 * The demo page's live request log: every exchange the local Function URL reports (its `onExchange`
 * hook) is kept in a short backlog and streamed to the page as Server-Sent Events on `/events`, so the page
 * shows what a player asked for and got, including requests from curl, GStreamer or any other client.
 *
 * SSE (WHATWG HTML, "Server-sent events"): `text/event-stream`, one `id:`/`data:` block per record. A page
 * that (re)connects gets the backlog after its `Last-Event-ID`, so a reconnect neither loses nor repeats rows.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExchangeRecord } from '../function-url/exchange-record.ts';

export interface ExchangeLogOptions {
  /** Records kept for pages that connect later (default 200, like the page's table). */
  readonly backlog?: number;
  /** Milliseconds between keep-alive comments (default 15000): idle proxies and browsers keep the stream open. */
  readonly heartbeatMs?: number;
}

export class ExchangeLog {
  readonly #backlog: Array<{ readonly id: number; readonly record: ExchangeRecord }> = [];
  readonly #limit: number;
  readonly #heartbeatMs: number;
  readonly #clients = new Set<ServerResponse>();
  #nextId = 1;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: ExchangeLogOptions = {}) {
    this.#limit = positiveInteger(options.backlog ?? 200, 'backlog');
    this.#heartbeatMs = positiveInteger(options.heartbeatMs ?? 15_000, 'heartbeatMs');
  }

  /** Adds a record and sends it to every connected page. */
  publish(record: ExchangeRecord): void {
    const entry = { id: this.#nextId++, record };
    this.#backlog.push(entry);
    if (this.#backlog.length > this.#limit) this.#backlog.shift();
    const frame = toFrame(entry.id, record);
    for (const res of this.#clients) res.write(frame);
  }

  /** Answers GET /events: the backlog after Last-Event-ID, then every new record as it happens. */
  serve(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const after = Number(req.headers['last-event-id'] ?? '0');
    let backlog = 'retry: 2000\n\n';
    for (const entry of this.#backlog) {
      if (!(entry.id <= after)) backlog += toFrame(entry.id, entry.record);
    }
    res.write(backlog);
    this.#clients.add(res);
    this.#heartbeat ??= setInterval(() => {
      for (const client of this.#clients) client.write(': keep-alive\n\n');
    }, this.#heartbeatMs).unref();
    res.once('close', () => {
      this.#clients.delete(res);
      if (this.#clients.size === 0) this.stopHeartbeat();
    });
  }

  /** Ends every open stream (the demo server is closing). */
  close(): void {
    for (const res of this.#clients) res.end();
    this.#clients.clear();
    this.stopHeartbeat();
  }

  private stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}

function toFrame(id: number, record: ExchangeRecord): string {
  // JSON.stringify never emits a raw newline, so one `data:` line carries the whole record.
  return `id: ${id}\ndata: ${JSON.stringify(record)}\n\n`;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`ExchangeLog: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
