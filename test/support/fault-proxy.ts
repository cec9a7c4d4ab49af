/**
 * A fault-injecting TCP proxy for the S3-compatible server: tests put it between the handler's S3 client and
 * the store, then program what happens to each request. It speaks just enough HTTP/1.1 to find request and
 * response boundaries on keep-alive connections (the SDK reuses sockets, and never pipelines), so a fault can
 * target one request — "the resume after the cut", "the next 5 GetObjects" — rather than a whole socket.
 *
 * Faults, applied to the response of a matching request:
 * - `cut`: forward at most N response bytes, then close both sides with a FIN (a premature EOF mid-body).
 * - `reset`: forward at most N response bytes, then RST the viewer side (`socket.resetAndDestroy()`).
 * - `stall`: after N response bytes stop forwarding for `ms` (then carry on), or for ever if `ms` is omitted.
 * - `respond`: answer the request itself with an S3-style XML error (500 InternalError, 503 SlowDown, ...);
 *   the store never sees it.
 * Offsets are counted from the first response byte (`afterBytes`, status line and headers included) or from the
 * first body byte (`afterBodyBytes`; for chunked responses this includes the chunk framing).
 *
 * It counts connections opened, closed and still open, and which of them have a response in flight, so a test
 * can prove that an aborted request released its S3 socket (the SDK keeps a socket for as long as an
 * unconsumed body holds it: aws-sdk-js-v3 #6691).
 */
import { once } from 'node:events';
import net from 'node:net';

/** Where a fault triggers: response bytes from the status line on, or body bytes from the first body byte on. */
export type FaultOffset = { readonly afterBytes: number } | { readonly afterBodyBytes: number };

export type FaultAction =
  | { readonly kind: 'pass' }
  | ({ readonly kind: 'cut' } & FaultOffset)
  | ({ readonly kind: 'reset' } & FaultOffset)
  | ({ readonly kind: 'stall'; readonly ms?: number } & FaultOffset)
  | {
      readonly kind: 'respond';
      readonly status: number;
      /** S3 error code in the XML body, e.g. "SlowDown". Defaults by status. */
      readonly code?: string;
      /** S3 error message in the XML body; tests put a marker here to prove it is never shown to viewers. */
      readonly message?: string;
      readonly headers?: Readonly<Record<string, string>>;
    };

/** One request as it crossed the proxy. */
export interface ProxiedRequest {
  /** 0-based, in arrival order over the proxy's lifetime. */
  readonly id: number;
  /** 0-based connection number (in accept order) and the request's index on that connection. */
  readonly connection: number;
  readonly indexOnConnection: number;
  readonly method: string;
  /** Request target as sent, e.g. `/media/clip.mp4?x-id=GetObject`. */
  readonly path: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The action chosen for it (`pass` when no rule matched). */
  readonly action: FaultAction;
  /** Response status seen from the store (or sent by `respond`); undefined until the status line arrived. */
  status?: number;
}

export interface FaultRule {
  readonly action: FaultAction;
  /** How many matching requests this rule applies to (default 1; `Infinity` for all). */
  readonly times?: number;
  /** Which requests it applies to (default: every request). */
  readonly match?: (request: Omit<ProxiedRequest, 'action' | 'status' | 'id'>) => boolean;
  /**
   * Runs when the fault fires. A `cut` or `reset` holds the connection (nothing more is forwarded) until the
   * returned promise settles, so a test can act at an exact point, e.g. overwrite the object between the cut
   * and the handler's resume.
   */
  readonly onFire?: (request: ProxiedRequest) => void | Promise<void>;
}

export interface FaultProxyStats {
  readonly opened: number;
  readonly closed: number;
  /** Connections currently open (viewer side). */
  readonly open: number;
  /** Open connections with a request forwarded whose response has not been fully delivered. */
  readonly busy: number;
  readonly requests: number;
  /** Faults that actually fired (a `cut` that was never reached because the client left early does not count). */
  readonly fired: Readonly<Record<Exclude<FaultAction['kind'], 'pass'>, number>>;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`, no trailing slash: usable as an S3 endpoint. */
  readonly url: string;
  readonly port: number;
  /** Append a rule; rules are tried in insertion order and the first one with uses left wins. */
  inject(rule: FaultRule): void;
  /** Remove every rule (requests in flight keep the action they already got). */
  clearFaults(): void;
  /** Every request seen so far. */
  readonly log: readonly ProxiedRequest[];
  stats(): FaultProxyStats;
  /** Resolve once no response is in flight (every forwarded response delivered, or its connection gone). */
  waitForIdle(timeoutMs?: number): Promise<FaultProxyStats>;
  /** Resolve once `predicate(stats())` holds; rejects with the stats after `timeoutMs`. */
  waitFor(predicate: (stats: FaultProxyStats) => boolean, timeoutMs?: number): Promise<FaultProxyStats>;
  /** Destroy every connection and stop listening. */
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** Upstream base URL, e.g. `http://127.0.0.1:4569` (only host and port are used). */
  readonly target: string;
  readonly host?: string;
  readonly port?: number;
}

const MAX_HEAD_BYTES = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const DEFAULT_ERROR_CODES: Readonly<Record<number, string>> = {
  500: 'InternalError',
  503: 'SlowDown',
  403: 'AccessDenied',
  404: 'NoSuchKey',
};

/** Throws on an options typo or a nonsensical fault instead of silently proxying everything. */
function validateAction(action: FaultAction): void {
  const kinds = ['pass', 'cut', 'reset', 'stall', 'respond'];
  if (!kinds.includes(action.kind)) throw new TypeError(`fault-proxy: unknown fault kind ${String(action.kind)}`);
  if (action.kind === 'cut' || action.kind === 'reset' || action.kind === 'stall') {
    const offset = 'afterBodyBytes' in action ? action.afterBodyBytes : action.afterBytes;
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new TypeError(`fault-proxy: ${action.kind} needs afterBytes or afterBodyBytes >= 0, got ${offset}`);
    }
  }
  if (action.kind === 'stall' && action.ms !== undefined && !(action.ms >= 0)) {
    throw new TypeError(`fault-proxy: stall ms must be >= 0, got ${action.ms}`);
  }
  if (action.kind === 'respond' && !(Number.isInteger(action.status) && action.status >= 400 && action.status < 600)) {
    throw new TypeError(`fault-proxy: respond status must be 4xx/5xx, got ${action.status}`);
  }
}

function parseHead(head: string): { readonly startLine: string; readonly headers: Record<string, string> } {
  const lines = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { startLine: lines[0] ?? '', headers };
}

/**
 * Finds where one HTTP/1.1 response ends (RFC 9112 section 6.3): consumes bytes in steps that stop exactly at
 * the end of the head and at the end of the message, so faults can be placed relative to the body.
 */
class ResponseFramer {
  readonly #method: string;
  #head: Buffer = Buffer.alloc(0);
  #state: 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailers' | 'until-close' | 'done' = 'head';
  #remaining = 0;
  #line = '';
  status: number | undefined;
  /** Bytes of the final (non-1xx) head, known once it has been consumed. */
  headBytes: number | undefined;
  #consumed = 0;

  constructor(method: string) {
    this.#method = method;
  }

  get done(): boolean {
    return this.#state === 'done';
  }

  get headDone(): boolean {
    return this.headBytes !== undefined;
  }

  /** Consume a prefix of `buf`; returns how many bytes belong to this response (stops at head end and at end). */
  step(buf: Buffer): number {
    if (buf.length === 0 || this.#state === 'done') return 0;
    switch (this.#state) {
      case 'head':
        return this.#stepHead(buf);
      case 'length': {
        const n = Math.min(this.#remaining, buf.length);
        this.#remaining -= n;
        if (this.#remaining === 0) this.#state = 'done';
        return this.#count(n);
      }
      case 'until-close':
        return this.#count(buf.length);
      default:
        return this.#stepChunked(buf);
    }
  }

  #count(n: number): number {
    this.#consumed += n;
    return n;
  }

  #stepHead(buf: Buffer): number {
    const before = this.#head.length;
    const joined = Buffer.concat([this.#head, buf]);
    const end = joined.indexOf(HEAD_END);
    if (end === -1) {
      // A head bigger than this is not S3 talking; treat the rest as an unframed body so bytes still flow.
      if (joined.length > MAX_HEAD_BYTES) this.#state = 'until-close';
      this.#head = joined;
      return this.#count(buf.length);
    }
    const used = end + HEAD_END.length - before;
    const { startLine, headers } = parseHead(joined.subarray(0, end).toString('latin1'));
    const status = Number(startLine.split(' ')[1]);
    this.#head = Buffer.alloc(0);
    if (status >= 100 && status < 200) {
      // Interim response (100 Continue for PutObject): the real head follows.
      return this.#count(used);
    }
    this.status = status;
    this.headBytes = this.#consumed + used;
    const length = headers['content-length'];
    if (this.#method === 'HEAD' || status === 204 || status === 304) {
      this.#state = 'done';
    } else if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
      this.#state = 'chunk-size';
    } else if (length !== undefined && /^\d+$/.test(length)) {
      this.#remaining = Number(length);
      this.#state = this.#remaining === 0 ? 'done' : 'length';
    } else {
      this.#state = 'until-close';
    }
    return this.#count(used);
  }

  #stepChunked(buf: Buffer): number {
    let i = 0;
    while (i < buf.length && this.#state !== 'done') {
      if (this.#state === 'chunk-data') {
        const n = Math.min(this.#remaining, buf.length - i);
        i += n;
        this.#remaining -= n;
        if (this.#remaining === 0) {
          this.#state = 'chunk-crlf';
          this.#remaining = 2;
        }
      } else if (this.#state === 'chunk-crlf') {
        const n = Math.min(this.#remaining, buf.length - i);
        i += n;
        this.#remaining -= n;
        if (this.#remaining === 0) this.#state = 'chunk-size';
      } else {
        // chunk-size or trailers: line oriented.
        const byte = buf[i] ?? 0;
        i += 1;
        this.#line += String.fromCharCode(byte);
        if (!this.#line.endsWith('\r\n')) continue;
        const line = this.#line.slice(0, -2);
        this.#line = '';
        if (this.#state === 'chunk-size') {
          const size = Number.parseInt(line.split(';')[0] ?? '', 16);
          if (!Number.isFinite(size)) {
            this.#state = 'until-close';
            return this.#count(buf.length);
          }
          if (size === 0) {
            this.#state = 'trailers';
          } else {
            this.#remaining = size;
            this.#state = 'chunk-data';
          }
        } else if (line === '') {
          this.#state = 'done';
        }
      }
    }
    return this.#count(i);
  }
}

interface Exchange {
  readonly request: ProxiedRequest;
  readonly onFire: FaultRule['onFire'];
  readonly framer: ResponseFramer;
  /** Response bytes delivered to the viewer so far. */
  forwarded: number;
  fired: boolean;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const known = new Set(['target', 'host', 'port']);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`fault-proxy: unknown option ${key}`);
  }
  const target = new URL(options.target);
  const targetHost = target.hostname;
  const targetPort = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  if (target.protocol !== 'http:') throw new TypeError(`fault-proxy: only http targets, got ${options.target}`);

  const rules: Array<{ rule: FaultRule; left: number }> = [];
  const log: ProxiedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const busy = new Set<number>();
  const fired = { cut: 0, reset: 0, stall: 0, respond: 0 };
  let opened = 0;
  let closed = 0;

  function choose(facts: Omit<ProxiedRequest, 'action' | 'status' | 'id'>): FaultRule {
    for (const entry of rules) {
      if (entry.left <= 0) continue;
      if (entry.rule.match && !entry.rule.match(facts)) continue;
      entry.left -= 1;
      return entry.rule;
    }
    return { action: { kind: 'pass' } };
  }

  function handleConnection(client: net.Socket): void {
    const connection = opened;
    opened += 1;
    sockets.add(client);
    const upstream = net.connect({ host: targetHost, port: targetPort });
    sockets.add(upstream);
    const exchanges: Exchange[] = [];
    let requestBuffer: Buffer = Buffer.alloc(0);
    let requestBodyLeft = 0;
    let rawRequests = false;
    let indexOnConnection = 0;
    /** Bytes from the store not yet delivered because of a stall or viewer backpressure. */
    let held: Buffer[] = [];
    let stalled = false;
    let waitingDrain = false;
    let upstreamClosed = false;
    let dead = false;

    const markBusy = (): void => {
      if (!dead && exchanges.length > 0) busy.add(connection);
      else busy.delete(connection);
    };

    const kill = (how: 'end' | 'reset' | 'destroy'): void => {
      if (dead) return;
      dead = true;
      busy.delete(connection);
      upstream.destroy();
      // end() sends a FIN after the bytes already written; destroy once flushed so no half-open socket lingers.
      if (how === 'end') client.end(() => client.destroy());
      else if (how === 'reset') client.resetAndDestroy();
      else client.destroy();
    };

    client.on('close', () => {
      closed += 1;
      sockets.delete(client);
      dead = true;
      busy.delete(connection);
      upstream.destroy();
    });
    client.on('error', () => {
      // A viewer that resets is what this proxy exists to survive; 'close' does the bookkeeping.
    });
    const endFromUpstream = (): void => {
      if (dead) return;
      dead = true;
      busy.delete(connection);
      client.end(() => client.destroy());
    };
    upstream.on('close', () => {
      sockets.delete(upstream);
      upstreamClosed = true;
      // The store closed (e.g. after a `Connection: close` response): close the viewer side the same way, but
      // only once bytes held back by a stall have been delivered.
      if (!stalled) endFromUpstream();
    });
    upstream.on('error', () => {
      // Surfaces to the viewer as the connection closing.
    });

    const respond = (request: ProxiedRequest, action: Extract<FaultAction, { kind: 'respond' }>): void => {
      fired.respond += 1;
      request.status = action.status;
      const code = action.code ?? DEFAULT_ERROR_CODES[action.status] ?? 'InternalError';
      const message = action.message ?? 'Injected by the fault proxy.';
      const body =
        request.method === 'HEAD'
          ? ''
          : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
            `<RequestId>FAULTPROXY${request.id}</RequestId></Error>`;
      const headers: Record<string, string> = {
        'content-type': 'application/xml',
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-request-id': `FAULTPROXY${request.id}`,
        date: new Date().toUTCString(),
        ...action.headers,
      };
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
      client.write(`HTTP/1.1 ${action.status} Fault\r\n${lines.join('\r\n')}\r\n\r\n${body}`);
    };

    /** Client -> store: split requests, pick their fault, forward (or answer) them. */
    const onRequestBytes = (chunk: Buffer): void => {
      if (dead) return;
      if (rawRequests) {
        upstream.write(chunk);
        return;
      }
      requestBuffer = requestBuffer.length === 0 ? chunk : Buffer.concat([requestBuffer, chunk]);
      while (requestBuffer.length > 0 && !dead) {
        if (requestBodyLeft > 0) {
          const n = Math.min(requestBodyLeft, requestBuffer.length);
          upstream.write(requestBuffer.subarray(0, n));
          requestBuffer = requestBuffer.subarray(n);
          requestBodyLeft -= n;
          continue;
        }
        const end = requestBuffer.indexOf(HEAD_END);
        if (end === -1) {
          if (requestBuffer.length > MAX_HEAD_BYTES) {
            rawRequests = true;
            upstream.write(requestBuffer);
            requestBuffer = Buffer.alloc(0);
          }
          return;
        }
        const headBytes = requestBuffer.subarray(0, end + HEAD_END.length);
        requestBuffer = requestBuffer.subarray(end + HEAD_END.length);
        const { startLine, headers } = parseHead(headBytes.toString('latin1'));
        const [method = '', path = ''] = startLine.split(' ');
        const facts = { connection, indexOnConnection, method, path, headers };
        indexOnConnection += 1;
        const rule = choose(facts);
        const action = rule.action;
        const request: ProxiedRequest = { id: log.length, ...facts, action };
        log.push(request);
        const length = Number(headers['content-length'] ?? '0');
        const chunked = /\bchunked\b/i.test(headers['transfer-encoding'] ?? '');
        if (action.kind === 'respond') {
          // The store never sees this request; skip its body (S3 reads carry none).
          void rule.onFire?.(request);
          respond(request, action);
          requestBodyLeft = 0;
          if (chunked) kill('end');
          else requestBuffer = requestBuffer.subarray(Math.min(length, requestBuffer.length));
          continue;
        }
        exchanges.push({
          request,
          onFire: rule.onFire,
          framer: new ResponseFramer(method),
          forwarded: 0,
          fired: false,
        });
        markBusy();
        upstream.write(headBytes);
        if (chunked) {
          // Request bodies in chunked encoding do not occur on the read path; stop parsing requests here.
          rawRequests = true;
          if (requestBuffer.length > 0) upstream.write(requestBuffer);
          requestBuffer = Buffer.alloc(0);
          return;
        }
        requestBodyLeft = Number.isSafeInteger(length) && length > 0 ? length : 0;
      }
    };

    /** Response offset (from the first response byte) at which the exchange's fault fires; undefined: not yet known. */
    const triggerAt = (exchange: Exchange): number | undefined => {
      const action = exchange.request.action;
      if (action.kind !== 'cut' && action.kind !== 'reset' && action.kind !== 'stall') return undefined;
      if ('afterBytes' in action) return action.afterBytes;
      const headBytes = exchange.framer.headBytes;
      return headBytes === undefined ? undefined : headBytes + action.afterBodyBytes;
    };

    const cut = (): void => kill('end');
    const reset = (): void => {
      if (client.destroyed) return;
      // Let the bytes already written reach the kernel before the RST; some may still be discarded.
      dead = true;
      busy.delete(connection);
      upstream.destroy();
      client.write(Buffer.alloc(0), () => {
        if (!client.destroyed) client.resetAndDestroy();
      });
    };

    const fire = (exchange: Exchange): 'stop' | 'continue' => {
      exchange.fired = true;
      const action = exchange.request.action;
      const hook = exchange.onFire?.(exchange.request);
      if (action.kind === 'cut' || action.kind === 'reset') {
        fired[action.kind] += 1;
        const act = action.kind === 'cut' ? cut : reset;
        if (hook === undefined) {
          act();
          return 'stop';
        }
        // Hold everything (as a stall would) until the test's hook is done, then fail the connection.
        stalled = true;
        upstream.pause();
        hook.then(act, act);
        return 'stop';
      }
      if (action.kind === 'stall') {
        fired.stall += 1;
        stalled = true;
        upstream.pause();
        if (action.ms !== undefined) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            stalled = false;
            const pending = held;
            held = [];
            // deliver() re-holds whatever arrives while a later fault stalls again, keeping byte order.
            for (const buf of pending) deliver(buf);
            if (!stalled && upstreamClosed) endFromUpstream();
            if (!stalled && !dead && !waitingDrain) upstream.resume();
          }, action.ms);
          timers.add(timer);
        }
        return 'stop';
      }
      return 'continue';
    };

    /** Store -> client: forward byte-exactly, advancing the framer and firing faults at their offsets. */
    const deliver = (chunk: Buffer): void => {
      let buf = chunk;
      while (buf.length > 0 && !dead) {
        if (stalled) {
          held.push(buf);
          return;
        }
        const exchange = exchanges[0];
        if (exchange === undefined) {
          // Bytes nobody asked for (should not happen without pipelining): pass them on.
          client.write(buf);
          return;
        }
        let limit = buf.length;
        if (!exchange.fired) {
          const at = triggerAt(exchange);
          if (at !== undefined) {
            limit = Math.min(limit, Math.max(0, at - exchange.forwarded));
            if (limit === 0) {
              if (fire(exchange) === 'stop') {
                if (stalled) held.push(buf);
                return;
              }
              continue;
            }
          }
        }
        const n = exchange.framer.step(buf.subarray(0, limit));
        if (exchange.framer.status !== undefined) exchange.request.status = exchange.framer.status;
        const part = buf.subarray(0, n);
        buf = buf.subarray(n);
        exchange.forwarded += n;
        if (!client.write(part) && !waitingDrain) {
          // Viewer backpressure: stop reading from the store until the viewer catches up.
          waitingDrain = true;
          upstream.pause();
          client.once('drain', () => {
            waitingDrain = false;
            if (!stalled && !dead) upstream.resume();
          });
        }
        if (exchange.framer.done) {
          // A fault placed exactly at the end of the message still fires (cut after the whole body).
          const at = triggerAt(exchange);
          if (!exchange.fired && at !== undefined && exchange.forwarded >= at && fire(exchange) === 'stop') {
            exchanges.shift();
            markBusy();
            if (stalled) held.push(buf);
            return;
          }
          exchanges.shift();
          markBusy();
        }
      }
    };

    client.on('data', onRequestBytes);
    upstream.on('data', deliver);
  }

  const server = net.createServer(handleConnection);
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault-proxy: no TCP address');

  const stats = (): FaultProxyStats => ({
    opened,
    closed,
    open: opened - closed,
    busy: busy.size,
    requests: log.length,
    fired: { ...fired },
  });

  const waitFor = async (predicate: (s: FaultProxyStats) => boolean, timeoutMs = 10_000): Promise<FaultProxyStats> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = stats();
      if (predicate(current)) return current;
      if (Date.now() > deadline) {
        throw new Error(`fault-proxy: condition not reached in ${timeoutMs} ms; stats ${JSON.stringify(current)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  return {
    url: `http://${address.address}:${address.port}`,
    port: address.port,
    log,
    inject(rule: FaultRule): void {
      validateAction(rule.action);
      const times = rule.times ?? 1;
      if (!(times >= 1)) throw new TypeError(`fault-proxy: times must be >= 1, got ${times}`);
      rules.push({ rule, left: times });
    },
    clearFaults(): void {
      rules.length = 0;
    },
    stats,
    waitFor,
    waitForIdle: (timeoutMs?: number) => waitFor((s) => s.busy === 0, timeoutMs),
    async close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
