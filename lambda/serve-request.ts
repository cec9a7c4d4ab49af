/**
 * The path of one request, free of middy so it can be tested directly (handler.ts only wires it):
 *
 *   signed-request admission -> method check -> key from path -> first S3 read (416 -> HeadObject)
 *   -> planResponse -> plain-GET redirect (lambda/plain-get-redirect/) -> respond (lambda/respond)
 *   -> byte counting -> one log line when the body closes.
 *
 * createServer derives and checks the policies once, at init: a configuration the decisions cannot use fails the
 * cold start with a ConfigError, never a request. Everything that can fail with a proper status happens before
 * a request's answer is returned, i.e. before middy writes the status line. Failures become typed HttpErrors
 * rendered by planError (same base headers and CORS as every answer); anything unexpected becomes a 500 naming
 * the request id, with the cause kept for the log only.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { type Config, ConfigError } from './config.ts';
import { BadRequestError, type HttpError, NotFoundError, ServiceUnavailableError, toHttpError } from './errors.ts';
import { requestFromEvent } from './event-to-request.ts';
import { type GeneratedPlaylistContext, serveGeneratedPlaylist } from './hls/serve-generated-playlist.ts';
import { serveTokenizedPlaylist } from './hls/serve-tokenized-playlist.ts';
import { assertHttpPolicy } from './http/http-policy.ts';
import { keyFromPath } from './http/key-from-path.ts';
import { planPreflight } from './http/plan-preflight.ts';
import { planRead } from './http/plan-read.ts';
import { type HttpPolicy, planError, planMethodNotAllowed, planResponse } from './http/plan-response.ts';
import type { ByteRange, RequestFacts, ResponsePlan } from './http/types.ts';
import { type RequestLogEntry, requestOutcome } from './observability/request-log.ts';
import {
  type PlainGetSetup,
  plainGetFirstRead,
  preparePlainGetRedirect,
  redirectPlainGet,
} from './plain-get-redirect/redirect-plain-get.ts';
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

/** Answers one Function URL request; `requestId` names it in the log line and in a 500's body. */
export type ServeRequest = (event: LambdaFunctionURLEvent, requestId: string) => Promise<StreamingResponse>;

/** The policies the decisions take, derived from the configuration and checked once. */
export interface ServePolicies {
  readonly http: HttpPolicy;
  readonly plainGet: PlainGetSetup;
}

/** Throws a ConfigError naming what is unusable, so a bad configuration stops the cold start. */
export function prepareServe(config: Config): ServePolicies {
  const http: HttpPolicy = {
    openRangeCapBytes: config.openRangeCapBytes,
    maxResponseBytes: config.maxResponseBytes,
    maxRangeParts: config.maxRangeParts,
    defaultCacheControl: config.defaultCacheControl,
    cors: config.cors,
  };
  try {
    assertHttpPolicy(http);
    return { http, plainGet: preparePlainGetRedirect(config) };
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new ConfigError(`unusable configuration: ${error.message}`, { cause: error });
  }
}

/** The request path with its policies prepared: call once at init, then once per request. */
export function createServer(deps: ServeDeps): ServeRequest {
  const server: Server = { deps, ...prepareServe(deps.config), boundary: deps.boundary ?? randomBoundary };
  return (event, requestId) => serve(server, event, requestId);
}

interface Server extends ServePolicies {
  readonly deps: ServeDeps;
  readonly boundary: () => string;
}

// randomUUID draws from Node's batched entropy cache: a tenth of randomBytes(12)'s cost, paid on every request
// that plans a body, because the plan is made with its boundary.
const randomBoundary = (): string => `media-origin-${randomUUID()}`;

/** How often a request restarts when the object is overwritten between its reads, before answering 503. */
const MAX_RESTARTS_ON_CHANGE = 1;

/**
 * What the log line learns on the way, beyond the request and the answer. Mutable because S3 re-reads and
 * resumes are counted while the body streams, after the answer has been returned.
 */
interface LogRecord {
  /** The S3 key, once the path has been accepted. */
  key: string | undefined;
  s3Requests: number;
  s3FirstByteMs: number | undefined;
  resumes: number;
}

/** The answer and what it tells the log line. */
interface Answer {
  readonly built: BuiltResponse;
  /** The object slices the body carries. */
  readonly slices: readonly ByteRange[];
  /** Why a 307 sends the viewer to S3. */
  readonly redirect?: 'plain-get' | 'over-budget';
  readonly error?: HttpError;
}

/** One request for one object: everything the steps after the key need. */
interface RequestContext {
  readonly server: Server;
  readonly request: RequestFacts;
  readonly requestId: string;
  readonly location: ObjectLocation;
  readonly record: LogRecord;
  /** The event as it arrived, signing parameters included: a signed playlist hands them on to its URIs. */
  readonly arrived: LambdaFunctionURLEvent;
}

const NO_REQUEST: RequestFacts = { method: 'GET', headers: {}, query: {} };

async function serve(server: Server, event: LambdaFunctionURLEvent, requestId: string): Promise<StreamingResponse> {
  const startedAt = performance.now();
  const record: LogRecord = { key: undefined, s3Requests: 0, s3FirstByteMs: undefined, resumes: 0 };
  let request = NO_REQUEST;
  let answer: Answer;
  try {
    // Private media: the signing parameters leave the query before anything else reads it.
    const admission = admitSignedRequest(event, server.deps.config.signedRequests, Date.now());
    request = requestFromEvent(admission.event);
    if (admission.refusal !== undefined) throw signedRequestRefusal(admission.refusal);
    answer = await answerRequest(server, admission.event, request, requestId, record, event);
  } catch (error) {
    const httpError = toHttpError(error, requestId);
    answer = { built: errorResponse(httpError, request, server.http), slices: [], error: httpError };
  }

  const { built } = answer;
  const body = countBytes(built.body, built.expectedBytes, (summary) => {
    server.deps.log({
      requestId,
      method: request.method,
      key: record.key,
      rangeAsked: request.headers.range,
      rangeServed:
        answer.slices.length === 0 ? undefined : answer.slices.map((slice) => `${slice.start}-${slice.end}`).join(','),
      status: built.statusCode,
      bytesSent: summary.bytesSent,
      durationMs: Math.round(performance.now() - startedAt),
      s3FirstByteMs: record.s3FirstByteMs === undefined ? undefined : Math.round(record.s3FirstByteMs),
      s3Requests: record.s3Requests,
      resumes: record.resumes,
      outcome: requestOutcome(summary.outcome, record.resumes),
      ...(answer.redirect === undefined ? {} : { redirect: answer.redirect }),
      error: summary.error ?? answer.error,
    });
  });
  return { statusCode: built.statusCode, headers: built.headers, body };
}

function errorResponse(error: HttpError, request: RequestFacts, policy: HttpPolicy): BuiltResponse {
  const plan = planError(error.statusCode, error.message, request, policy, error.headers);
  if (plan.body.kind === 'text') return buildTextResponse({ ...plan, body: plan.body });
  return { statusCode: plan.status, headers: { ...plan.headers }, body: Readable.from([]), expectedBytes: 0 };
}

function bodyless(plan: ResponsePlan): BuiltResponse {
  return { statusCode: plan.status, headers: { ...plan.headers }, body: Readable.from([]), expectedBytes: 0 };
}

async function answerRequest(
  server: Server,
  event: LambdaFunctionURLEvent,
  request: RequestFacts,
  requestId: string,
  record: LogRecord,
  arrived: LambdaFunctionURLEvent,
): Promise<Answer> {
  if (request.method === 'OPTIONS') return { built: bodyless(planPreflight(request, server.http.cors)), slices: [] };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return { built: bodyless(planMethodNotAllowed(request, server.http)), slices: [] };
  }

  const key = keyFromPath(event.rawPath ?? '', server.deps.config.keyPrefix);
  if (!key.ok) throw new BadRequestError(`Bad Request: ${key.reason}`);
  record.key = key.key;
  const context: RequestContext = {
    server,
    request,
    requestId,
    location: { bucket: server.deps.config.bucketName, key: key.key },
    record,
    arrived,
  };
  const tokenized = await answerTokenizedPlaylist(context);
  if (tokenized !== undefined) return tokenized;

  for (let restarts = 0; ; restarts += 1) {
    try {
      return await answerObject(context);
    } catch (error) {
      // The object was overwritten between our first read and a pinned re-read (412 to If-Match). Nothing has
      // been sent yet, so start over once with the new version; if it keeps changing, ask the viewer to retry.
      if (!(error instanceof ObjectChangedError)) throw error;
      if (restarts >= MAX_RESTARTS_ON_CHANGE) throw new ServiceUnavailableError({ cause: error });
    }
  }
}

async function firstRead(context: RequestContext): Promise<ReadResult> {
  const { server, request, location, requestId, record } = context;
  const s3 = server.deps.s3;
  const readPlan = plainGetFirstRead(request, location.key, server.plainGet) ?? planRead(request, server.http);
  record.s3Requests += 1;
  try {
    return await readObject(
      s3,
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
    record.s3Requests += 1;
    return readObject(s3, location, { op: 'head' }, requestId);
  }
}

async function answerObject(context: RequestContext): Promise<Answer> {
  const { server, request, location, requestId, record } = context;
  const { deps } = server;
  let first: ReadResult;
  try {
    first = await firstRead(context);
  } catch (error) {
    // A missing `.m3u8` may be generated from the DASH stored beside it (docs/hls-from-dash.md).
    if (!(error instanceof NotFoundError && location.key.endsWith('.m3u8'))) throw error;
    return { built: await serveGeneratedPlaylist(playlistContext(context)), slices: [] };
  }
  record.s3FirstByteMs ??= first.firstByteMs;
  let plan: ResponsePlan;
  let presign: () => Promise<string>;
  let redirect: Answer['redirect'];
  try {
    plan = planResponse(request, location.key, first.facts, server.http, server.boundary());
    const plainGet = await redirectPlainGet({ request, location, first, plan, s3: deps.s3 }, server.plainGet);
    if (plainGet === undefined) {
      presign = () => presignLocation(deps.s3, location, request.method, deps.config.presignExpiresSeconds);
      redirect = 'over-budget';
    } else {
      plan = plainGet.plan;
      presign = plainGet.presign;
      redirect = 'plain-get';
    }
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
        record.s3Requests += 1;
      },
    }),
    presign,
    // Without an ETag a re-read cannot be pinned to the same version, so it must not be spliced on.
    resumeAttempts: etag === undefined ? 0 : deps.config.resumeAttempts,
    idleTimeoutMs: deps.config.s3IdleTimeoutMs,
    ...(deps.backoffMs === undefined ? {} : { backoffMs: deps.backoffMs }),
    onResume: () => {
      record.resumes += 1;
    },
  });
  return { built, slices: slicesOf(plan), ...(plan.body.kind === 'redirect' ? { redirect } : {}) };
}

/**
 * A playlist opened with a custom-policy signed URL hands the token on to its URIs (docs/hls-from-dash.md);
 * undefined when the request is anything else, which is then answered as usual.
 */
async function answerTokenizedPlaylist(context: RequestContext): Promise<Answer | undefined> {
  const tokens = context.server.deps.config.playlistTokens;
  if (tokens === undefined || !context.location.key.endsWith('.m3u8')) return undefined;
  if (!/(?:^|&)Policy=/.test(context.arrived.rawQueryString ?? '')) return undefined;
  const built = await serveTokenizedPlaylist({ ...playlistContext(context), event: context.arrived, tokens });
  return built === undefined ? undefined : { built, slices: [] };
}

/** What the HLS room needs from this request (lambda/hls/serve-generated-playlist.ts). */
function playlistContext(context: RequestContext): GeneratedPlaylistContext {
  const { server, request, location, requestId, record } = context;
  return {
    s3: server.deps.s3,
    bucket: location.bucket,
    key: location.key,
    request,
    policy: server.http,
    requestId,
    boundary: server.boundary(),
    idleTimeoutMs: server.deps.config.s3IdleTimeoutMs,
    onS3Request: () => {
      record.s3Requests += 1;
    },
  };
}

function slicesOf(plan: ResponsePlan): readonly ByteRange[] {
  if (plan.body.kind === 'single') return plan.body.range === null ? [] : [plan.body.range];
  if (plan.body.kind === 'multipart') return plan.body.parts.map((part) => part.range);
  return [];
}
