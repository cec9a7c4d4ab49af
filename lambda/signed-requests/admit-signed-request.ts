/**
 * The signed-request gate in front of everything else ("Private media"): strips the signing
 * parameters from the query, and for GET and HEAD decides whether the CloudFront signed URL or signed cookies
 * admit the request. OPTIONS (CORS preflights never carry credentials) and other methods pass through to their
 * usual answers (204 / 405), which reveal nothing about any object.
 */
import type { KeyObject } from 'node:crypto';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { extractSignedToken } from './extract-signed-token.ts';
import { type RefusalReason, verifySignedToken } from './verify-signed-token.ts';
import { viewerUrls } from './viewer-urls.ts';

export interface SignedRequestPolicy {
  /** Trusted public keys by CloudFront key id. */
  readonly keys: ReadonlyMap<string, KeyObject>;
  /** Public base URLs (scheme://host[:port]) the viewer may use besides the request's own Host. */
  readonly baseUrls: readonly string[];
}

export interface Admission {
  /** The event with the signing parameters removed from rawQueryString and queryStringParameters. */
  readonly event: LambdaFunctionURLEvent;
  /** undefined = admitted (or no policy). */
  readonly refusal: RefusalReason | undefined;
}

const SIGNING_PARAMETERS = new Set(['Expires', 'Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm']);

export function admitSignedRequest(
  event: LambdaFunctionURLEvent,
  policy: SignedRequestPolicy | undefined,
  nowMs: number,
): Admission {
  if (policy === undefined) return { event, refusal: undefined };
  const extraction = extractSignedToken(event.rawQueryString ?? '', event.cookies);
  const stripped = withQuery(event, extraction.query);
  const method = event.requestContext.http.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return { event: stripped, refusal: undefined };
  if (extraction.kind === 'none') return { event: stripped, refusal: 'missing' };
  if (extraction.kind === 'malformed') return { event: stripped, refusal: 'malformed-token' };
  const verdict = verifySignedToken({
    token: extraction.token,
    viewerUrls: viewerUrls(event.headers ?? {}, event.rawPath ?? '/', extraction.query, policy.baseUrls),
    sourceIp: event.requestContext.http.sourceIp,
    nowMs,
    keys: policy.keys,
  });
  return { event: stripped, refusal: verdict.ok ? undefined : verdict.reason };
}

function withQuery(event: LambdaFunctionURLEvent, query: string): LambdaFunctionURLEvent {
  if (query === (event.rawQueryString ?? '')) return event;
  const { queryStringParameters, ...rest } = event;
  const parameters = Object.entries(queryStringParameters ?? {}).filter(([name]) => !SIGNING_PARAMETERS.has(name));
  return {
    ...rest,
    rawQueryString: query,
    ...(parameters.length === 0 ? {} : { queryStringParameters: Object.fromEntries(parameters) }),
  };
}
