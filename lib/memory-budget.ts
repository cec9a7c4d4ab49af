/**
 * The smallest function memory synthesis accepts. Pure numbers, no CDK; docs/performance.md has the
 * measurement and the cost table that chose the default (MEDIA_ORIGIN_DEFAULTS.memorySize).
 *
 * Peak RSS: the deployed bundle (`cdk synth` output) under AWS's runtime interface client, in its own process,
 * after warm-up, while two 128 MiB ranges stream (npm run bench, "CPU and memory per request and per GiB"): idle
 * RSS plus growth. Lambda's memory size bounds the whole execution environment, so the runtime client's own
 * process is inside this figure.
 *
 * Headroom: half again, for what the bench does not exercise: multipart answers, a resume in flight,
 * V8's old generation growing over a long-lived environment, and Lambda's own process overhead.
 */
/** The bench's peak RSS (idle + growth) in MB, rounded up; the figures behind it are in docs/performance.md. */
export const MEASURED_PEAK_RSS_MB = 174;
export const MEMORY_HEADROOM_FACTOR = 1.5;
/** Rounded up to a multiple of 64 MB. */
export const MIN_FUNCTION_MEMORY_MB = Math.ceil((MEASURED_PEAK_RSS_MB * MEMORY_HEADROOM_FACTOR) / 64) * 64;
