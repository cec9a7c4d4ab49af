/**
 * Typed HTTP errors for failures decided BEFORE the first byte (after it, status and headers are gone; see
 * lambda/storage/body-errors.ts). They carry `statusCode`, `expose`, `message` and `headers`, the fields
 * @middy/http-error-handler reads, so the handler's last-resort middleware renders them too.
 *
 * Messages are fixed, generic strings written here: never an S3 message, bucket name, key or stack. The
 * underlying failure travels in `cause` (for the log line only). Because every message is safe by
 * construction, `expose` is true for all of them, including 5xx (http-error-handler would otherwise replace a
 * 500 message with its fallback and lose the request id the viewer needs to report the problem).
 */

export interface HttpErrorOptions {
  readonly cause?: unknown;
}

export abstract class HttpError extends Error {
  abstract readonly statusCode: number;
  readonly expose: boolean = true;
  /** Extra response headers, lower-case names (e.g. retry-after). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(message: string, options: HttpErrorOptions = {}, headers: Readonly<Record<string, string>> = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.headers = headers;
  }
}

/** 400: the request itself is malformed (e.g. a path that is not a valid key). RFC 9110 section 15.5.1. */
export class BadRequestError extends HttpError {
  override readonly name = 'BadRequestError';
  readonly statusCode = 400;
}

/**
 * 403: a private-media request without a valid CloudFront signed URL or signed cookies. The body is the
 * same for every reason, so the viewer learns nothing; the reason travels in `cause` to the log line only.
 */
export class ForbiddenError extends HttpError {
  override readonly name = 'ForbiddenError';
  readonly statusCode = 403;
  constructor(options: HttpErrorOptions = {}) {
    super('Forbidden', options);
  }
}

/**
 * 404: no such object. Also used for S3 403 AccessDenied: the function's role has no s3:ListBucket, so S3
 * answers a missing key with 403; saying 404 keeps the bucket's permissions private. RFC 9110 section 15.5.5.
 */
export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';
  readonly statusCode = 404;
  constructor(options: HttpErrorOptions = {}) {
    super('Not Found', options);
  }
}

/** 503 with Retry-After (RFC 9110 sections 15.6.4 and 10.2.3): S3 throttled us or failed transiently. */
export class ServiceUnavailableError extends HttpError {
  override readonly name = 'ServiceUnavailableError';
  readonly statusCode = 503;
  readonly retryAfterSeconds: number;
  constructor(options: HttpErrorOptions & { readonly retryAfterSeconds?: number } = {}) {
    const retryAfterSeconds = options.retryAfterSeconds ?? 1;
    super('Service Unavailable', options, { 'retry-after': String(retryAfterSeconds) });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** 504: S3 did not answer in time (connect or first-byte timeout). RFC 9110 section 15.6.5. */
export class GatewayTimeoutError extends HttpError {
  override readonly name = 'GatewayTimeoutError';
  readonly statusCode = 504;
  constructor(options: HttpErrorOptions = {}) {
    super('Gateway Timeout', options);
  }
}

/** 500: anything unexpected. The message is generic plus the request id, so a viewer can report it. */
export class InternalServerError extends HttpError {
  override readonly name = 'InternalServerError';
  readonly statusCode = 500;
  readonly requestId: string;
  constructor(requestId: string, options: HttpErrorOptions = {}) {
    super(`Internal Server Error (request id ${requestId})`, options);
    this.requestId = requestId;
  }
}

/** Any thrown value as an HttpError: typed errors pass through, everything else becomes a 500 with `cause`. */
export function toHttpError(error: unknown, requestId: string): HttpError {
  return error instanceof HttpError ? error : new InternalServerError(requestId, { cause: error });
}
