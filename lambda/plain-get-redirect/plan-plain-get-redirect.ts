/**
 * Plain-GET clients go to S3 itself (issue #10). GStreamer's souphttpsrc, WebKitGTK/WPE (whose media element
 * runs on GStreamer), wget, aria2 and browser downloads open with a GET that carries no Range and learn the
 * length only from Content-Length. A streamed Function URL answer is chunked and has its Content-Length renamed
 * (x-amzn-Remapped-Content-Length), so these clients never learn the size: GStreamer reports "not seekable" and
 * cannot reach an MP4 index at the end, downloads show no total and cannot be split. S3 sends Content-Length and
 * serves their later ranges, so they are answered `307` to a presigned GetObject URL, with S3 told to send the
 * Content-Type (and Content-Disposition for `?download=`) the origin itself would have sent.
 *
 * Two pure steps around the one S3 read:
 * - plainGetRead: which GET to ask S3 for a candidate: `bytes=0-(minBytes-1)`. An object smaller than that
 *   arrives whole (S3 clamps the range at the end), and is served as the usual 200 from the function; for a
 *   larger one the small body is discarded and the answer is the redirect. One S3 request either way.
 * - planPlainGetRedirect: after planResponse evaluated the preconditions (a 304 stays a 304, a 412 a 412:
 *   RFC 9110 section 13.2.2 puts them before anything else), turns the 200 (or an over-budget 307) into the
 *   redirect with the S3 response overrides.
 *
 * Never redirected: requests with a Range (the browser family; S3 URLs would gain nothing), requests with
 * CloudFront's `x-amz-cf-id` (CloudFront must not hand one viewer's S3 URL to every viewer from its cache;
 * defence in depth beside PLAIN_GET_REDIRECT=off behind OAC), methods other than GET and HEAD.
 */
import { contentDisposition, downloadFilename } from '../http/content-disposition.ts';
import { contentTypeFor } from '../http/content-type.ts';
import type { CorsPolicy } from '../http/cors-headers.ts';
import type { ReadPlan } from '../http/plan-read.ts';
import { planRedirect } from '../http/plan-redirect.ts';
import type { ObjectFacts, RedirectPlan, RequestFacts, ResponsePlan } from '../http/types.ts';
import type { S3ResponseOverrides } from '../respond/presign-location.ts';

export type { S3ResponseOverrides } from '../respond/presign-location.ts';

export interface PlainGetRedirectPolicy {
  readonly mode: 'presigned-s3' | 'off';
  /** Plain GETs of objects of at least this many bytes are redirected; `?download=` always is. */
  readonly minBytes: number;
  readonly cors: CorsPolicy | undefined;
}

export interface PlainGetRedirect {
  readonly plan: RedirectPlan;
  readonly overrides: S3ResponseOverrides;
}

/** Whether this request belongs to the plain-GET family the policy sends to S3 (decided before any read). */
export function isPlainGetCandidate(request: RequestFacts, policy: PlainGetRedirectPolicy): boolean {
  assertPlainGetPolicy(policy);
  return (
    policy.mode === 'presigned-s3' &&
    (request.method === 'GET' || request.method === 'HEAD') &&
    request.headers.range === undefined &&
    request.headers['x-amz-cf-id'] === undefined
  );
}

/**
 * The first S3 read for a candidate GET, or undefined to use planRead's. HEAD keeps HeadObject (it has the size
 * without a body).
 */
export function plainGetRead(request: RequestFacts, policy: PlainGetRedirectPolicy): ReadPlan | undefined {
  if (request.method !== 'GET' || !isPlainGetCandidate(request, policy)) return undefined;
  return { op: 'get', range: `bytes=0-${policy.minBytes - 1}` };
}

/**
 * The redirect for a candidate whose answer would be the whole object (200, or 307 over the response budget),
 * when the object is at least `minBytes` or the request is a download; otherwise undefined (keep `plan`).
 * `plan` is planResponse's answer for the same request and object, so preconditions have already decided.
 */
export function planPlainGetRedirect(
  request: RequestFacts,
  key: string,
  object: Pick<ObjectFacts, 'size' | 'contentType'>,
  plan: ResponsePlan,
  policy: PlainGetRedirectPolicy,
): PlainGetRedirect | undefined {
  if (!isPlainGetCandidate(request, policy)) return undefined;
  if (plan.status !== 200 && plan.status !== 307) return undefined;
  const filename = downloadFilename(key, request.query);
  if (filename === undefined && object.size < policy.minBytes) return undefined;
  // The headers planResponse gives a 200 of this object (an over-budget 307 carries none, hence computed here).
  return {
    plan: planRedirect(request, policy.cors),
    overrides: {
      contentType: contentTypeFor(key, object.contentType),
      ...(filename === undefined ? {} : { contentDisposition: contentDisposition(filename) }),
    },
  };
}

/** Throws a TypeError naming the field when the policy is unusable (checked at init, and by every entry here). */
export function assertPlainGetPolicy(policy: PlainGetRedirectPolicy): void {
  if (policy.mode !== 'presigned-s3' && policy.mode !== 'off') {
    throw new TypeError(`plain GET redirect mode must be "presigned-s3" or "off", got ${String(policy.mode)}`);
  }
  if (!Number.isSafeInteger(policy.minBytes) || policy.minBytes < 1) {
    throw new TypeError(`plain GET redirect minBytes must be a positive integer, got ${String(policy.minBytes)}`);
  }
}
