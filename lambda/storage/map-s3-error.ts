/**
 * SDK error -> what it means for the response. Branches on `$metadata.httpStatusCode` first and the error name
 * second, because the SDK names errors inconsistently (docs/platform.md, "Amazon S3 and the SDK"): a 304 arrives as
 * `Unknown`, GetObject 404 is `NoSuchKey` but HeadObject 404 is `NotFound` (HEAD answers have no body to name
 * the error), 403 without s3:ListBucket is `AccessDenied` (or `Forbidden` for HEAD).
 *
 * The S3 error is only ever kept as `cause` (for the log line): its message can name the bucket or key.
 */
import {
  GatewayTimeoutError,
  type HttpError,
  InternalServerError,
  NotFoundError,
  ServiceUnavailableError,
} from '../errors.ts';
import { ObjectChangedError, RangeNotSatisfiableSignal } from './storage-errors.ts';

/** The fields we read from an unknown thrown value (SDK ServiceException or Node system error). */
interface ErrorShape {
  readonly name: string | undefined;
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly actualObjectSize: number | undefined;
}

function shapeOf(error: unknown): ErrorShape {
  if (typeof error !== 'object' || error === null) {
    return { name: undefined, code: undefined, status: undefined, actualObjectSize: undefined };
  }
  const record = error as Record<string, unknown>;
  const metadata = record.$metadata;
  const status =
    typeof metadata === 'object' && metadata !== null
      ? (metadata as Record<string, unknown>).httpStatusCode
      : undefined;
  const size = record.ActualObjectSize;
  const parsedSize = typeof size === 'string' && /^\d+$/.test(size) ? Number(size) : size;
  return {
    name: typeof record.name === 'string' ? record.name : undefined,
    code: typeof record.code === 'string' ? record.code : typeof record.Code === 'string' ? record.Code : undefined,
    status: typeof status === 'number' ? status : undefined,
    actualObjectSize: typeof parsedSize === 'number' && Number.isSafeInteger(parsedSize) ? parsedSize : undefined,
  };
}

/** Node and SDK spellings of "S3 did not answer in time" (connect, first byte or socket idle). */
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'TimeoutError', 'RequestTimeout']);
/** S3 throttling and transient server-side failures: the viewer should come back shortly. */
const THROTTLING_NAMES = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'InternalError',
]);
/** Connection-level failures that outlived the SDK's own retries: the store is (momentarily) unreachable. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN']);

export type MappedS3Error = HttpError | RangeNotSatisfiableSignal | ObjectChangedError;

/**
 * @param error whatever `S3Client.send` rejected with
 * @param requestId the Lambda request id, so a 500 can name it
 * @param pinnedEtag the If-Match value sent, when this was one of our pinned re-reads
 */
export function mapS3Error(error: unknown, requestId: string, pinnedEtag?: string): MappedS3Error {
  const { name, code, status, actualObjectSize } = shapeOf(error);
  const cause = { cause: error };

  if ((name !== undefined && TIMEOUT_NAMES.has(name)) || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new GatewayTimeoutError(cause);
  }
  // 404 NoSuchKey (GetObject) / NotFound (HeadObject); 403 AccessDenied is what a missing key looks like to a
  // role without s3:ListBucket, and saying 404 keeps the bucket's permissions private.
  if (status === 404 || status === 403 || name === 'NoSuchKey' || name === 'NotFound' || name === 'AccessDenied') {
    return new NotFoundError(cause);
  }
  if (status === 416 || name === 'InvalidRange') {
    return new RangeNotSatisfiableSignal(actualObjectSize, cause);
  }
  // We only ever send If-Match on our own re-reads, so a 412 means the object changed under us.
  if (status === 412 || name === 'PreconditionFailed') {
    return new ObjectChangedError(pinnedEtag, cause);
  }
  // S3 500 InternalError is documented as "please try again", like 503 SlowDown: both are transient.
  if (status === 503 || status === 500 || (name !== undefined && THROTTLING_NAMES.has(name))) {
    return new ServiceUnavailableError(cause);
  }
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return new ServiceUnavailableError(cause);
  }
  return new InternalServerError(requestId, cause);
}
