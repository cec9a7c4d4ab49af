/**
 * The HTTP policy and User-Agent cases the pure planners' unit tests (lambda/http/) share, so each test states
 * only what it changes.
 */
import fc from 'fast-check';
import type { HttpPolicy } from '../../lambda/http/http-policy.ts';
import { FOLLOWING_USER_AGENTS, NON_FOLLOWING_USER_AGENTS } from './user-agents.ts';

/** The production defaults: 5 MiB open-range cap, 190 MiB response cap, 8 range parts, a day of caching. */
export const POLICY: HttpPolicy = {
  openRangeCapBytes: 5 * 1024 * 1024,
  maxResponseBytes: 190 * 1024 * 1024,
  maxRangeParts: 8,
  defaultCacheControl: 'public, max-age=86400',
  cors: undefined,
};

/** The `user-agent` header, or none when the client sent none. */
export const userAgentHeader = (userAgent: string | undefined): Record<string, string> =>
  userAgent === undefined ? {} : { 'user-agent': userAgent };

/**
 * One case per known client, plus a request without a User-Agent: `capped` is expected for the clients known to
 * follow a short 206, `exact` for everyone else.
 */
export const byUserAgent = <T>(capped: T, exact: T): Array<[string, string | undefined, T]> => [
  ...Object.entries(FOLLOWING_USER_AGENTS).map(([name, ua]): [string, string, T] => [name, ua, capped]),
  ...Object.entries(NON_FOLLOWING_USER_AGENTS).map(([name, ua]): [string, string, T] => [name, ua, exact]),
  ['absent', undefined, exact],
];

/** Any known client's User-Agent, or none. */
export const anyUserAgent = (): fc.Arbitrary<string | undefined> =>
  fc.option(fc.constantFrom(...Object.values(FOLLOWING_USER_AGENTS), ...Object.values(NON_FOLLOWING_USER_AGENTS)), {
    nil: undefined,
  });
