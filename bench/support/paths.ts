/**
 * The ways to read the same object, each with its own keep-alive agent of identical settings:
 * - limit: a GET straight to the S3 server (what no proxy can beat);
 * - product: through the local Function URL and the handler;
 * - peer: through the hand-written GetObject proxy (bench/peer-server.ts);
 * - handler (diagnostic): the deployable bundle in a single-isolate host without the local emulator
 *   (bench/processes/handler-host.ts), to tell the handler's cost from the emulator's.
 */
import { HttpClient } from './client.ts';

export type PathName = 'limit' | 'product' | 'peer' | 'handler';

/** Column headings (short; docs/performance.md explains each). */
export const PATH_LABELS: Readonly<Record<PathName, string>> = {
  limit: 'limit',
  product: 'product',
  peer: 'peer',
  handler: 'handler only (diag.)',
};

/** Row labels where there is room. */
export const PATH_DESCRIPTIONS: Readonly<Record<PathName, string>> = {
  limit: 'limit: GET straight from the S3 server',
  product: 'product: local Function URL + handler',
  peer: 'peer: hand-written GetObject proxy',
  handler: 'diagnostic: deployable bundle, single-isolate host, no emulator',
};

export interface BenchPath {
  readonly name: PathName;
  readonly client: HttpClient;
  /** Process serving this path whose memory is measured (none for the limit: that is the S3 server itself). */
  readonly pid: number | null;
  urlFor(key: string): string;
}

export function benchPath(name: PathName, baseUrl: string, pid: number | null, maxSockets: number): BenchPath {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    name,
    client: new HttpClient(maxSockets),
    pid,
    urlFor: (key) => `${base}${key.split('/').map(encodeURIComponent).join('/')}`,
  };
}

/** The paths in a rotated order (round r starts with path r), so no path always runs first or last. */
export function inTurn(paths: readonly BenchPath[], round: number): BenchPath[] {
  const n = round % paths.length;
  return [...paths.slice(n), ...paths.slice(0, n)];
}
