/**
 * The Location of a 307: a presigned S3 URL for the same method, so HEAD stays HEAD (RFC 9110 section 15.4.8:
 * 307 keeps the method). Presigning is a local computation (no S3 request). The viewer re-sends its Range and
 * conditional headers to S3, which answers them natively for the single-range case.
 *
 * Used for answers over the response budget and for plain GETs sent to S3 (lambda/plain-get-redirect/).
 * `overrides` become S3's `response-content-type` / `response-content-disposition` query parameters (signed),
 * so S3 answers with the headers the origin would have sent (a stored `binary/octet-stream` does not play on iOS). `versionId`
 * pins the URL to the version the decision was made from, when the bucket is versioned (S3 has no presignable
 * If-Match: it is a request header, which the viewer would have to send itself).
 *
 * The presigner is a static import although a plain 206 never presigns: its code is in the one bundle file
 * either way, and an `import()` inside a bundle makes esbuild wrap the modules it reaches (the whole S3 client
 * among them) in lazy initializers that its tree shaking cannot trim (docs/performance.md).
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectLocation } from '../storage/read-object.ts';

/** Response header overrides for the presigned URL (S3's `response-content-type` and friends). */
export interface S3ResponseOverrides {
  readonly contentType?: string;
  readonly contentDisposition?: string;
}

export interface PresignOptions {
  readonly overrides?: S3ResponseOverrides;
  /** S3 version id of the object the answer was decided from; absent for unversioned buckets. */
  readonly versionId?: string;
}

export async function presignLocation(
  client: S3Client,
  location: ObjectLocation,
  method: string,
  expiresInSeconds: number,
  options: PresignOptions = {},
): Promise<string> {
  const { overrides, versionId } = options;
  const input = {
    Bucket: location.bucket,
    Key: location.key,
    ...(versionId === undefined || versionId === 'null' ? {} : { VersionId: versionId }),
    ...(overrides?.contentType === undefined ? {} : { ResponseContentType: overrides.contentType }),
    ...(overrides?.contentDisposition === undefined
      ? {}
      : { ResponseContentDisposition: overrides.contentDisposition }),
  };
  const command = method === 'HEAD' ? new HeadObjectCommand(input) : new GetObjectCommand(input);
  return getSignedUrl(client, command, { expiresIn: expiresInSeconds });
}
