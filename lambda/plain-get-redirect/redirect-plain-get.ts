/**
 * The plain-GET redirect on the request path (serve-request.ts enters it through these two calls, around the one
 * S3 read):
 * - plainGetFirstRead: which read a candidate asks S3 for first (undefined: planRead decides);
 * - redirectPlainGet: after planResponse, the 307 that replaces its plan and the maker of its presigned Location,
 *   or undefined to keep the plan.
 * The decisions are pure (plan-plain-get-redirect.ts); this file only peeks at the first read's bytes when the
 * decision needs them (an MP4 that may be a segment) and carries the redirect to S3's presigner.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config.ts';
import type { ReadPlan } from '../http/plan-read.ts';
import type { RedirectPlan, RequestFacts, ResponsePlan } from '../http/types.ts';
import { presignLocation } from '../respond/presign-location.ts';
import type { ObjectLocation, ReadResult } from '../storage/read-object.ts';
import { peekBody } from './peek-body.ts';
import {
  assertPlainGetPolicy,
  type PlainGetRedirectPolicy,
  plainGetRead,
  planPlainGetRedirect,
  wantsMp4Head,
} from './plan-plain-get-redirect.ts';
import { mp4SniffLength } from './sniff-mp4.ts';

/** The plain-GET settings, checked once at init. */
export interface PlainGetSetup {
  readonly policy: PlainGetRedirectPolicy;
  /** Lifetime of the presigned Location. */
  readonly expiresSeconds: number;
  /** How long the MP4 sniff waits for the first read's bytes (the S3 idle timeout). */
  readonly peekTimeoutMs: number;
}

export type PlainGetConfig = Pick<
  Config,
  'plainGetRedirect' | 'plainGetRedirectMinBytes' | 'plainGetRedirectExpiresSeconds' | 'cors' | 's3IdleTimeoutMs'
>;

/** Throws a TypeError naming the field when the settings are unusable. */
export function preparePlainGetRedirect(config: PlainGetConfig): PlainGetSetup {
  const policy: PlainGetRedirectPolicy = {
    mode: config.plainGetRedirect,
    minBytes: config.plainGetRedirectMinBytes,
    cors: config.cors,
  };
  assertPlainGetPolicy(policy);
  if (!Number.isSafeInteger(config.plainGetRedirectExpiresSeconds) || config.plainGetRedirectExpiresSeconds < 1) {
    throw new TypeError(
      `plain GET redirect expiresSeconds must be a positive integer, got ${String(config.plainGetRedirectExpiresSeconds)}`,
    );
  }
  return {
    policy,
    expiresSeconds: config.plainGetRedirectExpiresSeconds,
    peekTimeoutMs: config.s3IdleTimeoutMs,
  };
}

/** The first S3 read for a plain-GET candidate of `key`, or undefined when the request is not one. */
export function plainGetFirstRead(request: RequestFacts, key: string, setup: PlainGetSetup): ReadPlan | undefined {
  return plainGetRead(request, setup.policy, key);
}

export interface PlainGetRequest {
  readonly request: RequestFacts;
  readonly location: ObjectLocation;
  /** The first read (its facts, and the version the Location is pinned to). */
  readonly first: ReadResult;
  /** planResponse's answer for the same request and object (preconditions already decided). */
  readonly plan: ResponsePlan;
  readonly s3: S3Client;
}

export interface PlainGetAnswer {
  readonly plan: RedirectPlan;
  /** The Location: a presigned S3 URL for the request's method, with the origin's headers as overrides. */
  readonly presign: () => Promise<string>;
}

/** The redirect that replaces `plan` for a plain GET, or undefined to keep the plan. */
export async function redirectPlainGet(
  input: PlainGetRequest,
  setup: PlainGetSetup,
): Promise<PlainGetAnswer | undefined> {
  const { request, location, first, plan, s3 } = input;
  const { key } = location;
  let head: Uint8Array | undefined;
  if (first.body !== undefined && wantsMp4Head(request, key, first.facts, plan, setup.policy)) {
    const available = first.servedRange === null ? 0 : first.servedRange.end - first.servedRange.start + 1;
    head = await peekBody(first.body, mp4SniffLength(first.facts.size, available), setup.peekTimeoutMs);
  }
  const redirect = planPlainGetRedirect(request, key, first.facts, plan, setup.policy, head);
  if (redirect === undefined) return undefined;
  return {
    plan: redirect.plan,
    presign: () =>
      presignLocation(s3, location, request.method, setup.expiresSeconds, {
        overrides: redirect.overrides,
        ...(first.versionId === undefined ? {} : { versionId: first.versionId }),
      }),
  };
}
