/**
 * The smallest function memory synthesis accepts (issue 11). Pure numbers, no CDK; the README's "Performance"
 * section has the measurement and the cost table that chose the default (MEDIA_ORIGIN_DEFAULTS.memorySize).
 *
 * Peak RSS: the deployed bundle (`cdk synth` output) under AWS's runtime interface client, in its own process,
 * after warm-up, while two 128 MiB ranges stream (npm run bench, "CPU and memory per request and per GiB"): idle
 * RSS plus growth. Lambda's memory size bounds the whole execution environment, so the runtime client's own
 * process is inside this figure.
 *
 * Headroom: half again, for what the bench does not exercise: multipart answers, a resume in flight,
 * V8's old generation growing over a long-lived environment, and Lambda's own process overhead.
 */
/**
 * The higher of two 2026-12-01 runs: 17:31 idle 122.4 MiB + 31.4 MiB growth = 153.8 MiB; 18:10 idle 113.4 MiB +
 * 52.2 MiB = 165.6 MiB = 173.6 MB, rounded up.
 */
export const MEASURED_PEAK_RSS_MB = 174;
export const MEMORY_HEADROOM_FACTOR = 1.5;
/** Rounded up to a multiple of 64 MB. */
export const MIN_FUNCTION_MEMORY_MB = Math.ceil((MEASURED_PEAK_RSS_MB * MEMORY_HEADROOM_FACTOR) / 64) * 64;
