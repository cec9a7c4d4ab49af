/**
 * The Lambda Node.js runtime's HTTP integration wire format for streamed responses
 * (aws-lambda-nodejs-runtime-interface-client, src/HttpResponseStream.js and src/stream/http-response-stream.ts):
 * `HttpResponseStream.from(stream, prelude)` sets the stream's content type to INTEGRATION_CONTENT_TYPE and, on the
 * first write, emits `JSON.stringify(prelude)` followed by DELIMITER_LENGTH NUL bytes, then the body.
 * JSON.stringify escapes U+0000, so the first NUL byte always ends the prelude.
 */
export const INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
export const DELIMITER_LENGTH = 8;
/** The runtime's content type for a stream nobody called setContentType() on. */
export const DEFAULT_STREAM_CONTENT_TYPE = 'application/octet-stream';
