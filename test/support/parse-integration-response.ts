/**
 * Parses what a streaming handler wrote, as the Function URL service reads it: when the content type is
 * `application/vnd.awslambda.http-integration-response`, a JSON prelude ({ statusCode, headers, cookies }),
 * 8 NUL bytes, then the body (the local Function URL's own parser, local/function-url/prelude.ts). Without that
 * content type (or with no prelude written) the service falls back to a 200 with default headers and the raw
 * bytes as body; `prelude` is then undefined so tests can catch it.
 */
import { PreludeParser } from '../../local/function-url/prelude.ts';
import { INTEGRATION_CONTENT_TYPE } from '../../local/runtimes/wire-format.ts';

export interface IntegrationPrelude {
  readonly statusCode?: number;
  readonly headers?: Record<string, string>;
  readonly cookies?: string[];
}

export interface ParsedIntegrationResponse {
  readonly prelude: IntegrationPrelude | undefined;
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export function parseIntegrationResponse(bytes: Buffer, contentType: string): ParsedIntegrationResponse {
  if (contentType !== INTEGRATION_CONTENT_TYPE || bytes.length === 0) {
    return { prelude: undefined, statusCode: 200, headers: {}, body: bytes };
  }
  const step = new PreludeParser(Number.POSITIVE_INFINITY).push(bytes);
  if (step.kind !== 'prelude') {
    const why = step.kind === 'invalid' ? step.reason : 'no delimiter';
    throw new Error(`integration response without a valid prelude (${why}): ${bytes.toString('utf8', 0, 200)}`);
  }
  const prelude = step.prelude as IntegrationPrelude;
  return { prelude, statusCode: prelude.statusCode ?? 200, headers: prelude.headers ?? {}, body: step.rest };
}
