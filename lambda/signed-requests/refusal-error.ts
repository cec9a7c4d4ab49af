import { ForbiddenError } from '../errors.ts';
import type { RefusalReason } from './verify-signed-token.ts';

/** The log-only cause of a signed-request 403: names the reason code, never a signature, policy or cookie. */
export class SignedRequestRefusedError extends Error {
  override readonly name = 'SignedRequestRefusedError';
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason) {
    super(`signed request refused: ${reason}`);
    this.reason = reason;
  }
}

/** The 403 for a refused signed request (fixed body, no-store, CORS like every error: see plan-error.ts). */
export function signedRequestRefusal(reason: RefusalReason): ForbiddenError {
  return new ForbiddenError({ cause: new SignedRequestRefusedError(reason) });
}
