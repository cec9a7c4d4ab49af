/**
 * The NAMES of the CloudWatch metrics the function emits per request (Powertools Metrics, Embedded Metric
 * Format: lambda/observability/metrics.ts and request-metrics.ts). lib/ cannot import lambda/ (architecture
 * principle 5), so the names stand here too; test/cdk/metrics-contract.test.ts makes the function emit every one
 * of them and asserts the namespace, dimension and names match, the way the environment contract keeps env var
 * names in step.
 */

/** The EMF namespace (fixed in code: Powertools' constructor option wins over POWERTOOLS_METRICS_NAMESPACE). */
export const ORIGIN_METRICS_NAMESPACE = 'MediaOrigin';

/** Powertools' default dimension; its value is POWERTOOLS_SERVICE_NAME (the construct's `serviceName`). */
export const ORIGIN_METRICS_SERVICE_DIMENSION = 'service';

/** Metric names, keyed by what they count. Sparse ones are emitted only when non-zero (use FILL(m, 0)). */
export const ORIGIN_METRIC = {
  /** Every request that reached the handler (1 per request). */
  requests: 'Requests',
  /** Body bytes handed to the response stream. */
  bytesSent: 'BytesSent',
  /** S3 requests made, including re-reads and resumes. */
  s3Requests: 'S3Requests',
  /** Sparse: ranged re-reads after a mid-body S3 failure. */
  s3Resumes: 'S3Resumes',
  /** Sparse: responses cut short after the resumes gave up (the viewer sees a broken transfer). */
  truncatedResponses: 'TruncatedResponses',
  /** Sparse: responses whose viewer/CloudFront side went away before the end. */
  abortedResponses: 'AbortedResponses',
  /** Sparse: responses with a 5xx status. */
  serverErrors: 'ServerErrors',
} as const;
