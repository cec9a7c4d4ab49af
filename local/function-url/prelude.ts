/**
 * Incremental parser for the metadata prelude at the head of an `application/vnd.awslambda.http-integration-response`
 * stream: JSON, then exactly 8 NUL bytes, then the body (see ../runtime/wire-format.ts). Bytes arrive in arbitrary
 * pieces (the runtime gives no chunk fidelity), so the parser accumulates until the delimiter is complete.
 */
import { DELIMITER_LENGTH } from '../runtimes/wire-format.ts';

export type PreludeStep =
  | { readonly kind: 'more' }
  | { readonly kind: 'prelude'; readonly prelude: Readonly<Record<string, unknown>>; readonly rest: Buffer }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Default bound on the prelude's size: headers beyond this are not a plausible HTTP response head. */
export const DEFAULT_MAX_PRELUDE_BYTES = 64 * 1024;

export class PreludeParser {
  readonly #maxBytes: number;
  #pending: Buffer = Buffer.alloc(0);
  #done = false;

  constructor(maxBytes: number = DEFAULT_MAX_PRELUDE_BYTES) {
    this.#maxBytes = maxBytes;
  }

  /** Feeds the next bytes. After a `prelude` or `invalid` step the parser must not be fed again. */
  push(chunk: Uint8Array): PreludeStep {
    if (this.#done) throw new Error('PreludeParser: already finished');
    this.#pending = this.#pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#pending, chunk]);
    const nul = this.#pending.indexOf(0);
    if (nul === -1) {
      return this.#pending.length > this.#maxBytes
        ? this.#fail(`prelude larger than ${this.#maxBytes} bytes without a delimiter`)
        : { kind: 'more' };
    }
    if (nul > this.#maxBytes) return this.#fail(`prelude larger than ${this.#maxBytes} bytes`);
    const available = Math.min(this.#pending.length, nul + DELIMITER_LENGTH);
    for (let i = nul; i < available; i += 1) {
      if (this.#pending[i] !== 0) return this.#fail(`delimiter is not ${DELIMITER_LENGTH} NUL bytes`);
    }
    if (this.#pending.length < nul + DELIMITER_LENGTH) return { kind: 'more' };
    let prelude: unknown;
    try {
      prelude = JSON.parse(this.#pending.subarray(0, nul).toString('utf8'));
    } catch (error) {
      return this.#fail(`prelude is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof prelude !== 'object' || prelude === null || Array.isArray(prelude)) {
      return this.#fail('prelude is not a JSON object');
    }
    this.#done = true;
    const rest = this.#pending.subarray(nul + DELIMITER_LENGTH);
    this.#pending = Buffer.alloc(0);
    return { kind: 'prelude', prelude: prelude as Record<string, unknown>, rest };
  }

  /** Bytes received so far without a complete prelude (0 means the stream carried nothing at all). */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  #fail(reason: string): PreludeStep {
    this.#done = true;
    this.#pending = Buffer.alloc(0);
    return { kind: 'invalid', reason };
  }
}
