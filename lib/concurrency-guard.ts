/**
 * Reserved concurrency for the function ("a concurrency guard"): a Function URL that anyone can reach
 * through CloudFront (or directly with `publicUrl`) must not be able to run up the bill without bound or starve
 * the account's other functions of concurrency. Pure numbers, no CDK; docs/operations.md quotes them.
 *
 * Sources: AWS Lambda developer guide, "Lambda quotas" (1,000 concurrent executions per Region by default,
 * raisable; new accounts may start lower) and "Configuring reserved concurrency" (Lambda keeps at least 100
 * of the account's concurrency unreserved, so a function can reserve at most the quota minus 100).
 */

/**
 * Default reserved concurrency. 100 concurrent streams, each capped by Lambda at about 2 MB/s after its first
 * 6 MB, is about 200 MB/s (1.6 Gbit/s) of cache misses behind CloudFront, which caches what viewers repeat; it
 * leaves 900 of the default 1,000 for the account's other functions, and bounds the worst case at
 * 100 x 1 GiB x 86,400 s = 8.64 million GB-s a day (about USD 115 a day on arm64 at 0.0000133334 per GB-s).
 */
export const DEFAULT_RESERVED_CONCURRENCY = 100;

/** The default per-Region concurrency quota of an account. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;

/** Concurrency Lambda always keeps unreserved for the account's other functions. */
export const LAMBDA_MIN_UNRESERVED_CONCURRENCY = 100;

/** `reservedConcurrency: 'none'` removes the guard: the function then draws on the account's unreserved pool. */
export type ReservedConcurrency = number | 'none';

/** The most a function may reserve in an account with this quota; 0 when the quota leaves nothing to reserve. */
export function maxReservedConcurrency(accountConcurrency: number): number {
  return Math.max(0, accountConcurrency - LAMBDA_MIN_UNRESERVED_CONCURRENCY);
}

/**
 * The concurrency the function can reach: its reservation, or the account quota when nothing is reserved
 * (the concurrency alarm's 100 %).
 */
export function concurrencyCeiling(reserved: ReservedConcurrency, accountConcurrency: number): number {
  return reserved === 'none' ? accountConcurrency : reserved;
}
