/**
 * The one error the HLS-from-DASH room throws for anything about its SOURCES: a missing MPD or MP4, a
 * malformed or hostile file, an addressing scheme this generator does not translate. It is an HttpError, so the
 * request path renders it like every other 4xx (same base headers, CORS), never as a 5xx.
 *
 * 404: there is nothing to generate from (no such MPD, MP4 or representation).
 * 422 (RFC 9110 section 15.5.21, Unprocessable Content): the source exists but cannot be served as HLS; the
 * message says why. The reasons are fixed strings written in this folder: never an S3 message or a byte of the
 * source, so nothing a viewer uploads is reflected back.
 */
import { HttpError } from '../errors.ts';

export type UnplayableStatus = 404 | 422;

export class UnplayableSourceError extends HttpError {
  override readonly name = 'UnplayableSourceError';
  readonly statusCode: UnplayableStatus;
  readonly reason: string;
  constructor(statusCode: UnplayableStatus, reason: string, options: { readonly cause?: unknown } = {}) {
    super(`${statusCode === 404 ? 'Not Found' : 'Unprocessable Content'}: ${reason}`, options);
    this.statusCode = statusCode;
    this.reason = reason;
  }
}

/** Shorthand for the common case: the source exists but cannot be translated. */
export function unplayable(reason: string): UnplayableSourceError {
  return new UnplayableSourceError(422, reason);
}
