/**
 * Signed URLs that reach every segment. A viewer who opened a playlist with a CloudFront signed URL whose
 * CUSTOM policy's Resource is a wildcard (e.g. `https://media.example.com/dash/on-demand/*`) holds a token that
 * is valid for the URIs inside the playlist too, but a player requests those URIs bare. So the playlist is
 * answered with the same signing parameters (Policy, Signature, Key-Pair-Id, and Hash-Algorithm when present)
 * appended to every URI the policy covers, CloudFront-style (CloudFront developer guide, "Create a signed URL
 * using a custom policy"). A CANNED token signs one exact URL and cannot cover any other: then URIs stay bare,
 * and signed cookies are the way to reach the segments (docs/hls-from-dash.md).
 *
 * Only URIs of the playlist's own origin are tokenized: a Resource of `*` would otherwise hand the token to any
 * third-party URL a stored playlist names.
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { decodeCloudFrontBase64 } from '../signed-requests/cloudfront-base64.ts';
import { extractSignedToken } from '../signed-requests/extract-signed-token.ts';
import { matchesResource } from '../signed-requests/match-resource.ts';
import { parsePolicy } from '../signed-requests/parse-policy.ts';
import { viewerUrls } from '../signed-requests/viewer-urls.ts';

const SIGNING = new Set(['Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm']);

/**
 * Whose check a token passed before this room reads it, and the public base URLs viewers use (SIGNED_URL_BASE;
 * behind CloudFront the function sees the Function URL's Host, never the viewer's: viewer-urls.ts).
 * - `function`: the function verified the signature itself (REQUIRE_SIGNED_REQUESTS=true, public Function URL).
 * - `edge`: CloudFront verified it (trusted key group) and the Function URL answers only CloudFront (AWS_IAM +
 *   origin access control), so the token is taken as verified and only its policy is read. Propagating grants
 *   nothing either way: every URI the viewer then requests is verified again on its own.
 */
export interface PlaylistTokenPolicy {
  readonly verifiedBy: 'function' | 'edge';
  readonly baseUrls: readonly string[];
}

export interface TokenPropagation {
  /** The signing parameters exactly as the viewer sent them (still percent-encoded), joined with `&`. */
  readonly query: string;
  /** The playlist's URL as the viewer used it (without the signing parameters): relative URIs resolve here. */
  readonly playlistUrl: string;
  /** undefined = every URL (a policy without Resource). */
  readonly resource: string | undefined;
}

/**
 * The token to propagate, for a request whose signature was verified before this runs (by the function or by
 * CloudFront, see PlaylistTokenPolicy): only a signed URL (not cookies) with a custom policy.
 */
export function tokenPropagation(
  event: LambdaFunctionURLEvent,
  tokens: PlaylistTokenPolicy,
): TokenPropagation | undefined {
  const raw = event.rawQueryString ?? '';
  const extraction = extractSignedToken(raw, undefined);
  if (extraction.kind !== 'token' || extraction.token.policy === undefined) return undefined;
  const document = decodeCloudFrontBase64(extraction.token.policy);
  if (document === undefined) return undefined;
  const parsed = parsePolicy(document);
  if (!parsed.ok) return undefined;
  const resource = parsed.policy.resource;
  const urls = viewerUrls(event.headers ?? {}, event.rawPath ?? '/', extraction.query, tokens.baseUrls);
  const playlistUrl = urls.find((url) => resource === undefined || matchesResource(resource, url));
  if (playlistUrl === undefined) return undefined;
  const query = raw
    .split('&')
    .filter((pair) => SIGNING.has(decodeName(pair)))
    .join('&');
  return { query, playlistUrl, resource };
}

function decodeName(pair: string): string {
  const eq = pair.indexOf('=');
  try {
    return decodeURIComponent(eq === -1 ? pair : pair.slice(0, eq));
  } catch {
    return '';
  }
}

/** `uri` with the token appended, or unchanged when the policy does not cover it or it leaves the origin. */
export function tokenizedUri(uri: string, token: TokenPropagation): string {
  let resolved: URL;
  let base: URL;
  try {
    base = new URL(token.playlistUrl);
    resolved = new URL(uri, base);
  } catch {
    return uri;
  }
  if (resolved.origin !== base.origin || resolved.hash !== '') return uri;
  if (token.resource !== undefined && !matchesResource(token.resource, resolved.href)) return uri;
  return `${uri}${uri.includes('?') ? '&' : '?'}${token.query}`;
}

const URI_ATTRIBUTE = /URI="([^"\r\n]*)"/g;

/** Every URI line and every `URI="..."` attribute (EXT-X-MAP, EXT-X-MEDIA, EXT-X-KEY, ...) of a playlist. */
export function tokenizePlaylist(text: string, token: TokenPropagation): string {
  return text
    .split('\n')
    .map((line) => {
      const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
      const end = line.slice(bare.length);
      if (bare.trim() === '') return line;
      if (bare.startsWith('#')) {
        if (!bare.startsWith('#EXT')) return line;
        return bare.replace(URI_ATTRIBUTE, (_match, uri: string) => `URI="${tokenizedUri(uri, token)}"`) + end;
      }
      return tokenizedUri(bare.trim(), token) + end;
    })
    .join('\n');
}
