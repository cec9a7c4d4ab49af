/**
 * What S3 does and fauxqs does not, for presigned GETs and HEADs that players follow (plain GETs are redirected
 * to S3). Added as a fastify hook on the embedded server so the local stack answers like S3 would:
 * - `response-content-type`, `response-content-disposition`, `response-cache-control`, `response-content-language`,
 *   `response-expires`, `response-content-encoding` on a signed GetObject/HeadObject override those headers
 *   (S3 API reference, GetObject "Overriding response header values"); fauxqs ignores them.
 * - `Accept-Ranges: bytes` on object answers (S3 sends it; fauxqs does not).
 * - CORS for a cross-origin player that follows the redirect in CORS mode, as the stack configures the bucket
 *   when CORS origins are set (lib/media-bucket.ts): any origin here, GET/HEAD only, the range headers exposed.
 */
import type { buildApp } from 'fauxqs';

type FauxqsApp = ReturnType<typeof buildApp>;

const OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-disposition': 'content-disposition',
  'response-cache-control': 'cache-control',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-content-encoding': 'content-encoding',
};

const EXPOSED = 'Content-Range, Content-Length, Accept-Ranges, ETag, Content-Type, Content-Disposition';

export function addS3ResponseOverrides(app: FauxqsApp): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
    const url = new URL(request.url, 'http://s3.invalid');
    // Only presigned requests (players following a redirect, the tests' controls): the function's own
    // header-signed S3 traffic is served exactly as fauxqs serves it.
    if (!url.searchParams.has('X-Amz-Signature')) return payload;
    // Only object paths (/bucket/key...), not bucket listings.
    if (url.pathname.split('/').filter((segment) => segment !== '').length < 2) return payload;
    const status = reply.statusCode;
    if (status === 200 || status === 206) {
      reply.header('accept-ranges', 'bytes');
      for (const [parameter, header] of Object.entries(OVERRIDES)) {
        const value = url.searchParams.get(parameter);
        if (value !== null) reply.header(header, value);
      }
    }
    if (request.headers.origin !== undefined) {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-expose-headers', EXPOSED);
    }
    return payload;
  });
}
