/**
 * An in-memory S3 behind aws-sdk-client-mock, answering GetObject and HeadObject the way S3 does (platform
 * notes, "Amazon S3 and the SDK"): one range honoured per GetObject; several or malformed ranges -> the whole object
 * with 200; a suffix longer than the object -> the whole object as 206; start beyond the end or `-0` -> 416
 * InvalidRange with ActualObjectSize; If-Match mismatch -> 412 PreconditionFailed; a missing key -> 404
 * NoSuchKey (GetObject) / NotFound (HeadObject), or 403 AccessDenied when the role has no s3:ListBucket.
 * Errors are real SDK exception instances with `$metadata.httpStatusCode`, as the client throws them.
 *
 * `fault` can replace any call's answer (reject with an error, or a body that fails/stalls/ends short) to
 * exercise the paths a real network takes. Bodies are TestBody instances recorded in s3-body.ts.
 */
import {
  AccessDenied,
  GetObjectCommand,
  type GetObjectCommandInput,
  HeadObjectCommand,
  type HeadObjectCommandInput,
  NoSuchKey,
  NotFound,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { sdkBody, type TestBodyOptions, testBody } from './s3-body.ts';

export interface StoredObject {
  readonly body: Buffer;
  readonly etag: string;
  readonly lastModified: Date;
  readonly contentType?: string;
  readonly cacheControl?: string;
}

export interface FakeS3Call {
  /** 0-based index over all GetObject and HeadObject calls. */
  readonly index: number;
  readonly command: 'GetObject' | 'HeadObject';
  readonly input: GetObjectCommandInput | HeadObjectCommandInput;
}

export type Fault = { readonly reject: Error } | { readonly body: TestBodyOptions };

export interface FakeS3Options {
  /** Bucket -> key -> object. Keys not present answer 404 (or 403 with `listBucket: false`). */
  readonly objects: Map<string, StoredObject>;
  readonly bucket: string;
  /** Without s3:ListBucket a missing key answers 403 AccessDenied (S3 docs). Default true. */
  readonly listBucket?: boolean;
  readonly chunkSize?: number;
  readonly fault?: (call: FakeS3Call) => Fault | undefined;
}

const mockS3 = () => mockClient(S3Client);
export type S3Mock = ReturnType<typeof mockS3>;

const metadata = (httpStatusCode: number) => ({ httpStatusCode, attempts: 1, totalRetryDelay: 0 });

export function s3Error(name: string, httpStatusCode: number, extra: Record<string, unknown> = {}): S3ServiceException {
  const error = new S3ServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: metadata(httpStatusCode),
    message: `${name} (from fake S3, mentions bucket secret-bucket-name)`,
  });
  return Object.assign(error, extra);
}

type Resolved = { readonly kind: 'whole' } | { readonly kind: 'range'; readonly start: number; readonly end: number };

/** S3's own Range handling (one range only; anything it does not accept -> whole object, 200). */
function resolveS3Range(header: string | undefined, size: number): Resolved | 'unsatisfiable' {
  if (header === undefined) return { kind: 'whole' };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const length = Number(last);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return { kind: 'range', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (last !== '' && end < start) return { kind: 'whole' };
  if (start >= size) return 'unsatisfiable';
  return { kind: 'range', start, end: Math.min(end, size - 1) };
}

export interface FakeS3 {
  readonly mock: S3Mock;
  readonly calls: FakeS3Call[];
  /** Inputs of GetObject calls, in order. */
  getInputs(): GetObjectCommandInput[];
  headInputs(): HeadObjectCommandInput[];
}

export function installFakeS3(options: FakeS3Options): FakeS3 {
  const mock = mockS3();
  const calls: FakeS3Call[] = [];
  const listBucket = options.listBucket ?? true;
  const lookup = (bucket: string | undefined, key: string | undefined): StoredObject | undefined =>
    bucket === options.bucket && key !== undefined ? options.objects.get(key) : undefined;
  const missing = (command: FakeS3Call['command']): Error => {
    if (!listBucket) return new AccessDenied({ $metadata: metadata(403), message: 'Access Denied secret-bucket-name' });
    return command === 'GetObject'
      ? new NoSuchKey({ $metadata: metadata(404), message: 'The specified key does not exist. secret-bucket-name' })
      : new NotFound({ $metadata: metadata(404), message: 'NotFound' });
  };
  const common = (object: StoredObject) => ({
    ETag: object.etag,
    LastModified: object.lastModified,
    ...(object.contentType === undefined ? {} : { ContentType: object.contentType }),
    ...(object.cacheControl === undefined ? {} : { CacheControl: object.cacheControl }),
    AcceptRanges: 'bytes',
  });

  mock.on(HeadObjectCommand).callsFake(async (input: HeadObjectCommandInput) => {
    const call: FakeS3Call = { index: calls.length, command: 'HeadObject', input };
    calls.push(call);
    const fault = options.fault?.(call);
    if (fault !== undefined && 'reject' in fault) throw fault.reject;
    const object = lookup(input.Bucket, input.Key);
    if (object === undefined) throw missing('HeadObject');
    if (input.IfMatch !== undefined && input.IfMatch !== object.etag) throw s3Error('PreconditionFailed', 412);
    return { $metadata: metadata(200), ...common(object), ContentLength: object.body.length };
  });

  mock.on(GetObjectCommand).callsFake(async (input: GetObjectCommandInput) => {
    const call: FakeS3Call = { index: calls.length, command: 'GetObject', input };
    calls.push(call);
    const fault = options.fault?.(call);
    if (fault !== undefined && 'reject' in fault) throw fault.reject;
    const object = lookup(input.Bucket, input.Key);
    if (object === undefined) throw missing('GetObject');
    if (input.IfMatch !== undefined && input.IfMatch !== object.etag) throw s3Error('PreconditionFailed', 412);
    const size = object.body.length;
    const resolved = resolveS3Range(input.Range, size);
    if (resolved === 'unsatisfiable') throw s3Error('InvalidRange', 416, { ActualObjectSize: String(size) });
    const bodyOptions: TestBodyOptions = {
      ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
      ...(fault !== undefined && 'body' in fault ? fault.body : {}),
    };
    if (resolved.kind === 'whole') {
      return {
        $metadata: metadata(200),
        ...common(object),
        ContentLength: size,
        Body: sdkBody(testBody(object.body, bodyOptions)),
      };
    }
    const slice = object.body.subarray(resolved.start, resolved.end + 1);
    return {
      $metadata: metadata(206),
      ...common(object),
      ContentLength: slice.length,
      ContentRange: `bytes ${resolved.start}-${resolved.end}/${size}`,
      Body: sdkBody(testBody(slice, bodyOptions)),
    };
  });

  return {
    mock,
    calls,
    getInputs: () => calls.filter((call) => call.command === 'GetObject').map((call) => call.input),
    headInputs: () => calls.filter((call) => call.command === 'HeadObject').map((call) => call.input),
  };
}
