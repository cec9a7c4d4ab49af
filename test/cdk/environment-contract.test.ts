/**
 * lib/ and lambda/ share only environment variable NAMES. These tests keep the two
 * sides of that contract in step, and keep lib/ free of imports from lambda/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV as FUNCTION_READS } from '../../lambda/config.ts';
import { EXPOSED_HEADERS } from '../../lambda/http/cors-headers.ts';
import { ENV as STACK_SETS } from '../../lib/function-environment.ts';
import { EDGE_EXPOSED_HEADERS } from '../../lib/media-cdn.ts';

/** Read by libraries, not by lambda/config.ts: Powertools' own variables, Node's and the C library's. */
const READ_ELSEWHERE = new Set(['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL', 'NODE_OPTIONS', 'GLIBC_TUNABLES']);
/** Read by the function but never set by the stack: the local stack's S3 endpoint; AWS_REGION is Lambda's. */
const NOT_FOR_AWS = new Set(['S3_ENDPOINT', 'AWS_REGION']);

test('every variable the stack sets is read by lambda/config.ts (or by Powertools / Node / glibc)', () => {
  // Prepare
  const reads = new Set<string>(Object.values(FUNCTION_READS));
  // Act
  const unread = Object.values(STACK_SETS).filter((name) => !reads.has(name) && !READ_ELSEWHERE.has(name));
  // Assess
  expect(unread).toEqual([]);
});

test('every variable lambda/config.ts reads is set by the stack, except the local-only ones', () => {
  // Prepare
  const sets = new Set<string>(Object.values(STACK_SETS));
  // Act
  const unset = Object.values(FUNCTION_READS).filter((name) => !sets.has(name) && !NOT_FOR_AWS.has(name));
  // Assess
  expect(unset).toEqual([]);
});

test('lib/ imports nothing from lambda/', () => {
  // Prepare
  const libDir = fileURLToPath(new URL('../../lib/', import.meta.url));
  // Act
  const offenders = readdirSync(libDir)
    .filter((name) => name.endsWith('.ts'))
    .filter((name) => /\bfrom\s+['"][^'"]*lambda\//.test(readFileSync(join(libDir, name), 'utf8')));
  // Assess
  expect(offenders).toEqual([]);
});

test('the stack passes the same defaults lambda/config.ts falls back to', async () => {
  // Prepare: lib/ cannot import lambda/, so the defaults stand in both places; they must agree.
  const { DEFAULTS } = await import('../../lambda/config.ts');
  const { MEDIA_ORIGIN_DEFAULTS } = await import('../../lib/media-origin-props.ts');
  const shared = Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>;
  // Act
  const stack = Object.fromEntries(shared.map((name) => [name, MEDIA_ORIGIN_DEFAULTS[name]]));
  // Assess
  expect(stack).toEqual({ ...DEFAULTS });
});

test("CloudFront's CORS exposes the same response headers as the function", () => {
  // Prepare / Act
  const fromFunction = EXPOSED_HEADERS.split(', ');
  // Assess
  expect([...EDGE_EXPOSED_HEADERS]).toEqual(fromFunction);
});
