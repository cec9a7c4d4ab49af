/**
 * Which plain GETs go to S3 itself (docs/decisions/plain-get-redirect.md). GStreamer's souphttpsrc, WebKitGTK/WPE
 * (whose media element runs on GStreamer), wget, aria2 and browser downloads open with a GET that carries no Range
 * and learn the length only from Content-Length. A streamed Function URL answer is chunked and has its
 * Content-Length renamed (x-amzn-Remapped-Content-Length), so these clients never learn the size: GStreamer
 * reports "not seekable" and cannot reach an MP4 index at the end, downloads show no total and cannot be split.
 * S3 sends Content-Length and serves their later ranges, so they are answered `307` to a presigned GetObject URL,
 * with S3 told to send the Content-Type (and Content-Disposition for `?download=`) the origin itself would send.
 *
 * The rule goes by what the object is (media-family.ts), not by its size:
 * - `?download=`: always redirected;
 * - progressive audio/video: redirected whatever its size;
 * - MP4/QuickTime: redirected, unless its first bytes show a fragmented-MP4 init or media segment (sniff-mp4.ts),
 *   which streams; a HEAD has no bytes to show and is redirected;
 * - playlists, manifests, segments, subtitles: streamed whatever their size (fetched whole, never sought in);
 * - anything else: redirected from `minBytes` up, streamed below;
 * - an empty object (not a download): streamed.
 * An answer over the response budget (307 already) always becomes this redirect, with the S3 overrides.
 *
 * Pure steps around the one S3 read:
 * - plainGetRead: the GET a candidate asks S3 for. A streamed-whole key (by extension) reads the whole object
 *   (it will be streamed); any other reads `bytes=0-(minBytes-1)`: an object smaller than that arrives whole and
 *   can be served from that same read, a larger one costs a small read whose body is discarded.
 * - wantsMp4Head: whether the decision needs the first bytes (the caller peeks them, see peek-body.ts).
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
import { mediaFamily } from './media-family.ts';
import { mp4Shape } from './sniff-mp4.ts';

export type { S3ResponseOverrides } from '../respond/presign-location.ts';

export interface PlainGetRedirectPolicy {
  readonly mode: 'presigned-s3' | 'off';
  /**
   * Objects that are neither audio/video nor a playlist, segment or subtitle are redirected from this size up.
   * Also the length of a candidate's first ranged read, hence the most an MP4 sniff can see.
   */
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
 * The first S3 read for a candidate GET of `key`, or undefined to use planRead's. HEAD keeps HeadObject (it has
 * the size without a body).
 */
export function plainGetRead(request: RequestFacts, policy: PlainGetRedirectPolicy, key: string): ReadPlan | undefined {
  if (request.method !== 'GET' || !isPlainGetCandidate(request, policy)) return undefined;
  // A download is redirected whatever it is: the small read only fetches the facts the preconditions need.
  const streamedWhole = request.query.download === undefined && mediaFamily(key, undefined) === 'streamed-whole';
  return streamedWhole ? { op: 'get' } : { op: 'get', range: `bytes=0-${policy.minBytes - 1}` };
}

/**
 * Whether planPlainGetRedirect needs the object's first bytes to decide: a candidate GET whose answer is the
 * whole MP4 or QuickTime object, not a download.
 */
export function wantsMp4Head(
  request: RequestFacts,
  key: string,
  object: Pick<ObjectFacts, 'contentType'>,
  plan: ResponsePlan,
  policy: PlainGetRedirectPolicy,
): boolean {
  return (
    isPlainGetCandidate(request, policy) &&
    request.method === 'GET' &&
    plan.status === 200 &&
    downloadFilename(key, request.query) === undefined &&
    mediaFamily(key, object.contentType) === 'iso-bmff'
  );
}

/**
 * The redirect for a candidate whose answer would be the whole object (200, or 307 over the response budget),
 * or undefined to keep `plan` (streamed). `plan` is planResponse's answer for the same request and object, so
 * preconditions have already decided. `head`: the object's first bytes (as many as mp4SniffLength asks), for an
 * MP4 when wantsMp4Head; without them an MP4 is taken for a progressive file.
 */
export function planPlainGetRedirect(
  request: RequestFacts,
  key: string,
  object: Pick<ObjectFacts, 'size' | 'contentType'>,
  plan: ResponsePlan,
  policy: PlainGetRedirectPolicy,
  head?: Uint8Array,
): PlainGetRedirect | undefined {
  if (!isPlainGetCandidate(request, policy)) return undefined;
  if (plan.status !== 200 && plan.status !== 307) return undefined;
  const filename = downloadFilename(key, request.query);
  if (filename === undefined && plan.status === 200 && streams(key, object, policy, head)) return undefined;
  // The headers planResponse gives a 200 of this object (an over-budget 307 carries none, hence computed here).
  return {
    plan: planRedirect(request, policy.cors),
    overrides: {
      contentType: contentTypeFor(key, object.contentType),
      ...(filename === undefined ? {} : { contentDisposition: contentDisposition(filename) }),
    },
  };
}

/** Whether a plain GET of this object is better served by the function's chunked 200 than by S3. */
function streams(
  key: string,
  object: Pick<ObjectFacts, 'size' | 'contentType'>,
  policy: PlainGetRedirectPolicy,
  head: Uint8Array | undefined,
): boolean {
  // Nothing to seek in and nothing to learn from S3 that the function's empty 200 does not say.
  if (object.size === 0) return true;
  switch (mediaFamily(key, object.contentType)) {
    case 'streamed-whole':
      return true;
    case 'progressive':
      return false;
    case 'iso-bmff':
      return head !== undefined && mp4Shape(head, object.size) !== 'other';
    case 'other':
      return object.size < policy.minBytes;
  }
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
