/**
 * The one structured log line per request: what was asked, what was answered, how much went out and how it
 * ended. Emitted when the body closes (not when the handler returns), so bytes and outcome are the real ones.
 */
import type { BodyOutcome } from '../respond/count-bytes.ts';

/** complete | aborted (the response side went away) | resumed N (complete after N S3 re-reads) | truncated. */
export type RequestOutcome = 'complete' | 'aborted' | 'truncated' | `resumed ${number}`;

export interface RequestLogEntry {
  readonly requestId: string;
  readonly method: string;
  /** The S3 key (prefix included); absent when the path was rejected. */
  readonly key: string | undefined;
  /** The viewer's Range header, verbatim. */
  readonly rangeAsked: string | undefined;
  /** The slices sent, e.g. "0-1" or "0-99,200-299"; absent when no body bytes were planned. */
  readonly rangeServed: string | undefined;
  readonly status: number;
  readonly bytesSent: number;
  readonly durationMs: number;
  /** Time from the first S3 request to its response headers. */
  readonly s3FirstByteMs: number | undefined;
  readonly s3Requests: number;
  readonly resumes: number;
  readonly outcome: RequestOutcome;
  /**
   * Why the answer is a 307 to S3: `plain-get` (no Range, or a download: S3 sends Content-Length),
   * `over-budget` (larger than the function may stream). The Location is never logged: it carries a signature.
   */
  readonly redirect?: 'plain-get' | 'over-budget';
  /** The failure behind an error status or an incomplete body (logged, never sent to the viewer). */
  readonly error: Error | undefined;
}

export function requestOutcome(outcome: BodyOutcome, resumes: number): RequestOutcome {
  if (outcome === 'complete' && resumes > 0) return `resumed ${resumes}`;
  return outcome;
}
