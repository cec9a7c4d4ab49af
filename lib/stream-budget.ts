/**
 * Platform limits and the arithmetic that sizes the function timeout and CloudFront's origin read timeout.
 * Pure numbers, no CDK: the construct validates its props with these, and docs/operations.md quotes them.
 *
 * Sources: AWS Lambda developer guide, "Response streaming" (200 MB streamed payload; the first 6 MB are sent
 * uncapped, then at most about 2 MB/s; 15 min max duration) and CloudFront's origin response timeout, which
 * bounds the wait for the first byte AND every gap between packets.
 */

/**
 * Lambda's streamed-response payload limit, "200 MB", read as decimal megabytes (the safe reading; the handler's
 * config uses the same bound). MAX_RESPONSE_BYTES may not exceed it.
 */
export const LAMBDA_STREAM_MAX_BYTES = 200_000_000;
/** Bytes Lambda streams before its bandwidth cap applies. Counted as "free" (0 s) below; 10^6-based, so smaller. */
export const LAMBDA_STREAM_UNCAPPED_BYTES = 6_000_000;
/** Lambda's streaming bandwidth cap after the uncapped burst: "up to 2 MBps". 10^6-based, the slower reading. */
export const LAMBDA_STREAM_BYTES_PER_SECOND = 2_000_000;
/** Lambda's hard maximum duration. */
export const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
/** Allowance for a cold start (init of the bundled handler) before the first S3 request is sent. */
export const COLD_START_ALLOWANCE_SECONDS = 3;

/** The function's S3 I/O timeouts (the handler's env vars), in milliseconds. */
export interface S3Timing {
  readonly s3ConnectTimeoutMs: number;
  readonly s3FirstByteTimeoutMs: number;
  readonly s3IdleTimeoutMs: number;
  readonly resumeAttempts: number;
}

/**
 * Longest a single response can legitimately keep the function busy: connect + first byte, the capped part
 * of the body at 2 MB/s, and every resume (idle timeout detects the stall, then connect + first byte again).
 * With the defaults (190 MiB, 1 s / 5 s / 10 s, 3 resumes): 6 + 96.6 + 3 x 16 = 150.6 s.
 */
export function worstCaseResponseSeconds(maxResponseBytes: number, timing: S3Timing): number {
  const firstByte = (timing.s3ConnectTimeoutMs + timing.s3FirstByteTimeoutMs) / 1000;
  const capped = Math.max(0, maxResponseBytes - LAMBDA_STREAM_UNCAPPED_BYTES) / LAMBDA_STREAM_BYTES_PER_SECOND;
  const resumes =
    (timing.resumeAttempts * (timing.s3IdleTimeoutMs + timing.s3ConnectTimeoutMs + timing.s3FirstByteTimeoutMs)) / 1000;
  return firstByte + capped + resumes;
}

/**
 * Longest silence CloudFront can see from the origin: before the first byte (cold start + connect + first
 * byte) or mid-body (idle timeout, then each resume attempt's connect + first byte, back to back).
 * With the defaults: max(3 + 6, 10 + 3 x 6) = 28 s, so CloudFront's 30 s default read timeout is too tight.
 */
export function longestOriginSilenceSeconds(timing: S3Timing): number {
  const attempt = (timing.s3ConnectTimeoutMs + timing.s3FirstByteTimeoutMs) / 1000;
  const beforeFirstByte = COLD_START_ALLOWANCE_SECONDS + attempt;
  const midBody = timing.s3IdleTimeoutMs / 1000 + timing.resumeAttempts * attempt;
  return Math.max(beforeFirstByte, midBody);
}
