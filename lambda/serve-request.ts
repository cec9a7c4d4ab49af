/**
 * The path of one request, free of middy so it can be tested directly (handler.ts only wires it):
 *
 *   method check -> key from path -> planRead -> first S3 read (416 -> HeadObject) -> planResponse
 *   -> reconcile and respond (lambda/respond) -> byte counting -> one log line when the body closes.
 *
 * Everything that can fail with a proper status happens before this returns, i.e. before middy writes the
 * status line. Failures become typed HttpErrors rendered by planError (same base headers and CORS as every
 * answer); anything unexpected becomes a 500 naming the request id, with the cause kept for the log only.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { Config } from './config.ts';
import { BadRequestError, type HttpError, NotFoundError, ServiceUnavailableError, toHttpError } from './errors.ts';
import { requestFromEvent } from './event-to-request.ts';
import type { GeneratedPlaylistContext } from './hls/serve-generated-playlist.ts';
import { keyFromPath } from './http/key-from-path.ts';
import {
  type PlainGetRedirectPolicy,
  plainGetRead,
  planPlainGetRedirect,
  type S3ResponseOverrides,
} from './http/plan-plain-get-redirect.ts';
import { planPreflight } from './http/plan-preflight.ts';
import { planRead } from './http/plan-read.ts';
import { type HttpPolicy, planError, planMethodNotAllowed, planResponse } from './http/plan-response.ts';
import type { ByteRange, RequestFacts, ResponsePlan } from './http/types.ts';
import { type RequestLogEntry, requestOutcome } from './observability/request-log.ts';
import {
  type BuiltResponse,
  buildResponse,
  buildTextResponse,
  type StreamingResponse,
} from './respond/build-response.ts';
import { countBytes } from './respond/count-bytes.ts';
import { presignLocation } from './respond/presign-location.ts';
import { admitSignedRequest } from './signed-requests/admit-signed-request.ts';
import { signedRequestRefusal } from './signed-requests/refusal-error.ts';
import { discard } from './storage/discard-body.ts';
import { openPinnedRange } from './storage/open-pinned-range.ts';
import { type ObjectLocation, type ReadResult, readObject } from './storage/read-object.ts';
import { ObjectChangedError, RangeNotSatisfiableSignal } from './storage/storage-errors.ts';

export type { StreamingResponse } from './respond/build-response.ts';

export interface ServeDeps {
  readonly s3: S3Client;
  readonly config: Config;
  /** Receives the one log line per request, when the body has closed. */
  readonly log: (entry: RequestLogEntry) => void;
  /** Resume backoff (tests pass () => 0). */
  readonly backoffMs?: (attempt: number) => number;
  /** multipart/byteranges boundary (tests pass a fixed one). */
  readonly boundary?: () => string;
}

export function httpPolicyFrom(config: Config): HttpPolicy {
  return {
    openRangeCapBytes: config.openRangeCapBytes,
    maxResponseBytes: config.maxResponseBytes,
    maxRangeParts: config.maxRangeParts,
    defaultCacheControl: config.defaultCacheControl,
    cors: config.cors,
  };
}

function plainGetPolicyFrom(config: Config): PlainGetRedirectPolicy {
  return { mode: config.plainGetRedirect, minBytes: config.plainGetRedirectMinBytes, cors: config.cors };
}

/** The policy is derived once per configuration (i.e. once per container), not per request. */
const policies = new WeakMap<Config, HttpPolicy>();
function policyFor(config: Config): HttpPolicy {
  let policy = policies.get(config);
  if (policy === undefined) {
    policy = httpPolicyFrom(config);
    policies.set(config, policy);
  }
  return policy;
}

// randomUUID draws from Node's batched entropy cache: a tenth of randomBytes(12)'s cost, paid on every request
// because the plan is made with its boundary (issue 11).
const randomBoundary = (): string => `media-origin-${randomUUID()}`;

/** How often a request restarts when the object is overwritten between its reads, before answering 503. */
const MAX_RESTARTS_ON_CHANGE = 1;

/** Per-request counters for the log line. */
interface Trace {
  key: string | undefined;
  s3Requests: number;
  s3FirstByteMs: number | undefined;
  resumes: number;
  slices: readonly ByteRange[];
  redirect: RequestLogEntry['redirect'];
  error: Error | undefined;
}

export async function serveRequest(
  event: LambdaFunctionURLEvent,
  requestId: string,
  deps: ServeDeps,
): Promise<StreamingResponse> {
  const startedAt = performance.now();
  const policy = policyFor(deps.config);
  const trace: Trace = {
    key: undefined,
    s3Requests: 0,
    s3FirstByteMs: undefined,
    resumes: 0,
    slices: [],
    redirect: undefined,
    error: undefined,
  };
  let request: RequestFacts = { method: 'GET', headers: {}, query: {} };
  let built: BuiltResponse;
  try {
    // Private media (issue 12): the signing parameters leave the query before anything else reads it.
    const admission = admitSignedRequest(event, deps.config.signedRequests, Date.now());
    request = requestFromEvent(admission.event);
    if (admission.refusal !== undefined) throw signedRequestRefusal(admission.refusal);
    built = await decide(admission.event, request, requestId, policy, deps, trace, event);
  } catch (error) {
    const httpError = toHttpError(error, requestId);
    trace.error = httpError;
    trace.slices = [];
    built = errorResponse(httpError, request, policy);
  }

  const body = countBytes(built.body, built.expectedBytes, (summary) => {
    deps.log({
      requestId,
      method: request.method,
      key: trace.key,
      rangeAsked: request.headers.range,
      rangeServed:
        trace.slices.length === 0 ? undefined : trace.slices.map((slice) => `${slice.start}-${slice.end}`).join(','),
      status: built.statusCode,
      bytesSent: summary.bytesSent,
      durationMs: Math.round(performance.now() - startedAt),
      s3FirstByteMs: trace.s3FirstByteMs === undefined ? undefined : Math.round(trace.s3FirstByteMs),
      s3Requests: trace.s3Requests,
      resumes: trace.resumes,
      outcome: requestOutcome(summary.outcome, trace.resumes),
      ...(trace.redirect === undefined || built.statusCode !== 307 ? {} : { redirect: trace.redirect }),
      error: summary.error ?? trace.error,
    });
  });
  return { statusCode: built.statusCode, headers: built.headers, body };
}

function errorResponse(error: HttpError, request: RequestFacts, policy: HttpPolicy): BuiltResponse {
  const plan = planError(error.statusCode, error.message, request, policy, error.headers);
  if (plan.body.kind === 'text') return buildTextResponse({ ...plan, body: plan.body });
  return { statusCode: plan.status, headers: { ...plan.headers }, body: emptyReadable(), expectedBytes: 0 };
}

function emptyReadable(): Readable {
  return Readable.from([]);
}

async function decide(
  event: LambdaFunctionURLEvent,
  request: RequestFacts,
  requestId: string,
  policy: HttpPolicy,
  deps: ServeDeps,
  trace: Trace,
  signed: LambdaFunctionURLEvent,
): Promise<BuiltResponse> {
  if (request.method === 'OPTIONS') return bodyless(planPreflight(request, policy.cors));
  if (request.method !== 'GET' && request.method !== 'HEAD') return bodyless(planMethodNotAllowed(request, policy));

  const key = keyFromPath(event.rawPath ?? '', deps.config.keyPrefix);
  if (!key.ok) throw new BadRequestError(`Bad Request: ${key.reason}`);
  trace.key = key.key;
  const location: ObjectLocation = { bucket: deps.config.bucketName, key: key.key };
  // A playlist opened with a custom-policy signed URL hands the token on to its URIs (docs/hls-from-dash.md).
  const signedRequests = deps.config.signedRequests;
  if (signedRequests !== undefined && key.key.endsWith('.m3u8') && /(?:^|&)Policy=/.test(signed.rawQueryString)) {
    const { serveTokenizedPlaylist } = await import('./hls/serve-tokenized-playlist.ts');
    const context = playlistContext(request, location, requestId, policy, deps, trace);
    const tokenized = await serveTokenizedPlaylist({ ...context, event: signed, signedRequests });
    if (tokenized !== undefined) return tokenized;
  }

  for (let restarts = 0; ; restarts += 1) {
    try {
      return await readAndRespond(request, location, requestId, policy, deps, trace);
    } catch (error) {
      // The object was overwritten between our first read and a pinned re-read (412 to If-Match). Nothing has
      // been sent yet, so start over once with the new version; if it keeps changing, ask the viewer to retry.
      if (!(error instanceof ObjectChangedError)) throw error;
      if (restarts >= MAX_RESTARTS_ON_CHANGE) throw new ServiceUnavailableError({ cause: error });
    }
  }
}

/** What the HLS room needs from this request (lambda/hls/serve-generated-playlist.ts). */
function playlistContext(
  request: RequestFacts,
  location: ObjectLocation,
  requestId: string,
  policy: HttpPolicy,
  deps: ServeDeps,
  trace: Trace,
): GeneratedPlaylistContext {
  return {
    ...{ s3: deps.s3, bucket: location.bucket, key: location.key, request, policy, requestId },
    ...{ boundary: (deps.boundary ?? randomBoundary)(), idleTimeoutMs: deps.config.s3IdleTimeoutMs },
    onS3Request: () => {
      trace.s3Requests += 1;
    },
  };
}

function bodyless(plan: ResponsePlan): BuiltResponse {
  return { statusCode: plan.status, headers: { ...plan.headers }, body: emptyReadable(), expectedBytes: 0 };
}

async function firstRead(
  request: RequestFacts,
  location: ObjectLocation,
  requestId: string,
  policy: HttpPolicy,
  deps: ServeDeps,
  trace: Trace,
): Promise<ReadResult> {
  const readPlan = plainGetRead(request, plainGetPolicyFrom(deps.config)) ?? planRead(request, policy);
  trace.s3Requests += 1;
  try {
    return await readObject(
      deps.s3,
      location,
      readPlan.op === 'head'
        ? readPlan
        : { op: 'get', ...(readPlan.range === undefined ? {} : { range: readPlan.range }) },
      requestId,
    );
  } catch (error) {
    if (!(error instanceof RangeNotSatisfiableSignal)) throw error;
    // S3 answered 416: the preconditions still need the metadata (a 304 or 412 outranks a 416, RFC 9110
    // section 13.2.2), and If-Range may select the whole object, so read it and let the plan decide.
    trace.s3Requests += 1;
    return readObject(deps.s3, location, { op: 'head' }, requestId);
  }
}

async function readAndRespond(
  request: RequestFacts,
  location: ObjectLocation,
  requestId: string,
  policy: HttpPolicy,
  deps: ServeDeps,
  trace: Trace,
): Promise<BuiltResponse> {
  let first: ReadResult;
  try {
    first = await firstRead(request, location, requestId, policy, deps, trace);
  } catch (error) {
    // A missing `.m3u8` may be generated from the DASH stored beside it (docs/hls-from-dash.md).
    if (!(error instanceof NotFoundError && location.key.endsWith('.m3u8'))) throw error;
    const { serveGeneratedPlaylist } = await import('./hls/serve-generated-playlist.ts');
    return serveGeneratedPlaylist(playlistContext(request, location, requestId, policy, deps, trace));
  }
  trace.s3FirstByteMs ??= first.firstByteMs;
  let plan: ResponsePlan;
  let overrides: S3ResponseOverrides | undefined;
  try {
    plan = planResponse(request, location.key, first.facts, policy, (deps.boundary ?? randomBoundary)());
    const plainGet = planPlainGetRedirect(request, location.key, first.facts, plan, plainGetPolicyFrom(deps.config));
    if (plainGet !== undefined) {
      plan = plainGet.plan;
      overrides = plainGet.overrides;
    }
    trace.redirect = plainGet !== undefined ? 'plain-get' : 'over-budget';
  } catch (error) {
    discard(first.body);
    throw error;
  }
  const etag = first.facts.etag;
  const built = await buildResponse(plan, {
    first: first.body === undefined ? undefined : { body: first.body, servedRange: first.servedRange },
    openRange: openPinnedRange({
      client: deps.s3,
      location,
      etag,
      requestId,
      onRequest: () => {
        trace.s3Requests += 1;
      },
    }),
    presign: () =>
      overrides === undefined
        ? presignLocation(deps.s3, location, request.method, deps.config.presignExpiresSeconds)
        : presignLocation(deps.s3, location, request.method, deps.config.plainGetRedirectExpiresSeconds, {
            overrides,
            ...(first.versionId === undefined ? {} : { versionId: first.versionId }),
          }),
    // Without an ETag a re-read cannot be pinned to the same version, so it must not be spliced on.
    resumeAttempts: etag === undefined ? 0 : deps.config.resumeAttempts,
    idleTimeoutMs: deps.config.s3IdleTimeoutMs,
    ...(deps.backoffMs === undefined ? {} : { backoffMs: deps.backoffMs }),
    onResume: () => {
      trace.resumes += 1;
    },
  });
  trace.slices = slicesOf(plan);
  return built;
}

function slicesOf(plan: ResponsePlan): readonly ByteRange[] {
  if (plan.body.kind === 'single') return plan.body.range === null ? [] : [plan.body.range];
  if (plan.body.kind === 'multipart') return plan.body.parts.map((part) => part.range);
  return [];
}
