/**
 * `npm run smoke` command line -> validated arguments. Pure, unit-tested; unknown options fail (parseArgs strict).
 */
import { parseArgs } from 'node:util';

const OPTIONS = {
  origin: { type: 'string' },
  'timeout-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SMOKE_USAGE = `usage: npm run smoke -- <url of a media object> [--origin <https://player.example>] [--timeout-ms <ms>]`;

export interface SmokeArgs {
  readonly url: URL;
  readonly origin?: string;
  readonly timeoutMs: number;
}

/** Pure: argv -> validated arguments, or an error message. */
export function parseSmokeArgs(argv: readonly string[]): SmokeArgs | { readonly error: string } | 'help' {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (parsed.values.help === true) return 'help';
  if (parsed.positionals.length !== 1) return { error: 'give exactly one URL' };
  let url: URL;
  try {
    url = new URL(parsed.positionals[0] ?? '');
  } catch {
    return { error: `not a URL: ${parsed.positionals[0]}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: `not an http(s) URL: ${url.href}` };
  const origin = parsed.values.origin;
  if (origin !== undefined) {
    let canonical: string | undefined;
    try {
      canonical = new URL(origin).origin;
    } catch {
      canonical = undefined;
    }
    if (canonical !== origin)
      return { error: `--origin must be an origin like https://player.example (no path), got ${origin}` };
  }
  const timeoutText = parsed.values['timeout-ms'] ?? '30000';
  const timeoutMs = /^\d+$/.test(timeoutText) ? Number(timeoutText) : Number.NaN;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1)
    return { error: `--timeout-ms must be a positive integer, got ${timeoutText}` };
  return { url, timeoutMs, ...(origin === undefined ? {} : { origin }) };
}
