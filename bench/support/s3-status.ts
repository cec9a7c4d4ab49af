/**
 * The HTTP status S3 answered with, from an SDK error (its `$metadata`), or 502 when there was no answer: what
 * the peer copies to its viewer, as a server (bench/peer-server.ts) and as a Lambda handler
 * (bench/peer-function/handler.ts).
 */
export function s3StatusOf(error: unknown): number {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : 502;
}
