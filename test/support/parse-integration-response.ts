/**
 * Parses what a streaming handler wrote, as the Function URL service reads it: when the content type is
 * `application/vnd.awslambda.http-integration-response`, a JSON prelude ({ statusCode, headers, cookies }),
 * 8 NUL bytes, then the body. Without that content type (or with no prelude written) the service falls back
 * to a 200 with default headers and the raw bytes as body; `prelude` is then undefined so tests can catch it.
 */
import { DELIMITER_LENGTH, INTEGRATION_CONTENT_TYPE } from './install-awslambda.ts';

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

const DELIMITER = Buffer.alloc(DELIMITER_LENGTH);

export function parseIntegrationResponse(bytes: Buffer, contentType: string): ParsedIntegrationResponse {
  if (contentType !== INTEGRATION_CONTENT_TYPE) {
    return { prelude: undefined, statusCode: 200, headers: {}, body: bytes };
  }
  const end = bytes.indexOf(DELIMITER);
  if (end < 0) {
    if (bytes.length === 0) return { prelude: undefined, statusCode: 200, headers: {}, body: bytes };
    throw new Error(
      `integration response without the ${DELIMITER_LENGTH}-NUL delimiter: ${bytes.toString('utf8', 0, 200)}`,
    );
  }
  const prelude = JSON.parse(bytes.toString('utf8', 0, end)) as IntegrationPrelude;
  return {
    prelude,
    statusCode: prelude.statusCode ?? 200,
    headers: prelude.headers ?? {},
    body: bytes.subarray(end + DELIMITER_LENGTH),
  };
}
