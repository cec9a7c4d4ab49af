/**
 * Is this CloudFront signed URL / signed cookie set valid for this request? Pure apart from the RSA check
 * (node:crypto), and the clock is a parameter.
 *
 * What is signed (CloudFront developer guide, "Create a signed URL using a canned policy" / "custom policy"):
 * - canned: the policy document CloudFront would build from the resource URL and `Expires`,
 *   `{"Statement":[{"Resource":"<url>","Condition":{"DateLessThan":{"AWS:EpochTime":<expires>}}}]}` (no
 *   whitespace; the same JSON.stringify form @aws-sdk/cloudfront-signer signs). The function therefore has to
 *   rebuild the viewer's URL exactly; it tries each candidate URL it was given (see viewer-urls.ts).
 * - custom: the policy document itself, sent base64-encoded; its Resource may hold wildcards.
 * The signature is RSA PKCS#1 v1.5 over those bytes with SHA-1 (CloudFront's default) or SHA-256 when the token
 * says `Hash-Algorithm=SHA256`.
 *
 * Checks run cheapest-that-is-safe first: shape, key id, signature, then the policy's conditions. A canned token
 * whose URL differs from the request cannot be told apart from a forged one (the URL is part of what is signed),
 * so it is refused as `bad-signature`; a custom policy's Resource is compared after the signature and refused as
 * `resource-mismatch`.
 *
 * Clock: `DateLessThan` is exact (a token expired by 1 s is refused); `DateGreaterThan` is granted
 * NOT_BEFORE_SKEW_SECONDS of slack, because a signer whose clock runs a little ahead would otherwise mint tokens
 * that fail for their first seconds. CloudFront's own tolerance is not documented.
 */
import { type KeyObject, verify } from 'node:crypto';
import { decodeCloudFrontBase64 } from './cloudfront-base64.ts';
import type { SignedToken } from './extract-signed-token.ts';
import { matchesResource } from './match-resource.ts';
import { matchesSourceIp } from './match-source-ip.ts';
import { MAX_POLICY_BYTES, parsePolicy, type SignedPolicy } from './parse-policy.ts';

/** Slack on DateGreaterThan only (see above). */
export const NOT_BEFORE_SKEW_SECONDS = 30;

/** Why a request was refused: goes to the log line, never to the viewer (who always gets the same 403). */
export type RefusalReason =
  | 'missing'
  | 'malformed-token'
  | 'malformed-policy'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'ip-mismatch'
  | 'resource-mismatch';

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: RefusalReason };

export interface VerifyInput {
  readonly token: SignedToken;
  /** The URLs the viewer may have used for this request (scheme://host/raw-path[?query without signing params]). */
  readonly viewerUrls: readonly string[];
  /** requestContext.http.sourceIp */
  readonly sourceIp: string;
  readonly nowMs: number;
  /** Trusted public keys by CloudFront key id (the PublicKey's id, e.g. K2JCJMDEHXQW5F). */
  readonly keys: ReadonlyMap<string, KeyObject>;
}

/** Longest Signature accepted (a 4096-bit RSA signature is 684 characters). */
const MAX_SIGNATURE_CHARS = 1024;
const KEY_PAIR_ID = /^[A-Za-z0-9_-]{1,128}$/;
const EXPIRES = /^\d{1,12}$/;
const MAX_ENCODED_POLICY_CHARS = Math.ceil(MAX_POLICY_BYTES / 3) * 4;

const refuse = (reason: RefusalReason): Verdict => ({ ok: false, reason });

export function verifySignedToken(input: VerifyInput): Verdict {
  const { token } = input;
  if (!KEY_PAIR_ID.test(token.keyPairId) || token.signature.length > MAX_SIGNATURE_CHARS) {
    return refuse('malformed-token');
  }
  const signature = decodeCloudFrontBase64(token.signature);
  if (signature === undefined) return refuse('malformed-token');
  const key = input.keys.get(token.keyPairId);
  if (key === undefined) return refuse('unknown-key');
  const algorithm = token.hashAlgorithm === 'SHA256' ? 'sha256' : 'sha1';
  const signs = (document: Uint8Array): boolean => verify(algorithm, document, key, signature);

  if (token.expires !== undefined) {
    if (!EXPIRES.test(token.expires)) return refuse('malformed-token');
    const expires = Number(token.expires);
    const signed = input.viewerUrls.some((url) => signs(Buffer.from(cannedPolicy(url, expires), 'utf8')));
    if (!signed) return refuse('bad-signature');
    return input.nowMs / 1000 < expires ? { ok: true } : refuse('expired');
  }

  const encoded = token.policy ?? '';
  if (encoded.length > MAX_ENCODED_POLICY_CHARS) return refuse('malformed-policy');
  const document = decodeCloudFrontBase64(encoded);
  if (document === undefined) return refuse('malformed-policy');
  if (!signs(document)) return refuse('bad-signature');
  const parsed = parsePolicy(document);
  if (!parsed.ok) return refuse('malformed-policy');
  return checkConditions(parsed.policy, input);
}

/** The canned policy CloudFront (and @aws-sdk/cloudfront-signer) signs for a URL and an expiry. */
export function cannedPolicy(url: string, expires: number): string {
  return JSON.stringify({ Statement: [{ Resource: url, Condition: { DateLessThan: { 'AWS:EpochTime': expires } } }] });
}

function checkConditions(policy: SignedPolicy, input: VerifyInput): Verdict {
  const now = input.nowMs / 1000;
  if (now >= policy.dateLessThan) return refuse('expired');
  if (policy.dateGreaterThan !== undefined && now + NOT_BEFORE_SKEW_SECONDS <= policy.dateGreaterThan) {
    return refuse('not-yet-valid');
  }
  if (policy.sourceIp !== undefined && !matchesSourceIp(policy.sourceIp, input.sourceIp)) return refuse('ip-mismatch');
  const resource = policy.resource;
  if (resource !== undefined && !input.viewerUrls.some((url) => matchesResource(resource, url))) {
    return refuse('resource-mismatch');
  }
  return { ok: true };
}
