import { AccessDenied, NoSuchKey, NotFound, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, test } from '@jest/globals';
import {
  GatewayTimeoutError,
  HttpError,
  InternalServerError,
  NotFoundError,
  ServiceUnavailableError,
} from '../../../lambda/errors.ts';
import { mapS3Error } from '../../../lambda/storage/map-s3-error.ts';
import { ObjectChangedError, RangeNotSatisfiableSignal } from '../../../lambda/storage/storage-errors.ts';

const metadata = (httpStatusCode: number | undefined) => ({
  ...(httpStatusCode === undefined ? {} : { httpStatusCode }),
  attempts: 3,
  totalRetryDelay: 0,
});

function serviceError(name: string, status: number | undefined, extra: Record<string, unknown> = {}): Error {
  const error = new S3ServiceException({
    name,
    $fault: (status ?? 500) >= 500 ? 'server' : 'client',
    $metadata: metadata(status),
    message: `${name}: bucket secret-bucket-name key private/key`,
  });
  return Object.assign(error, extra);
}

function nodeError(code: string, name = 'Error'): Error {
  return Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code, name });
}

describe('mapS3Error', () => {
  const cases: ReadonlyArray<readonly [string, unknown, new (...args: never[]) => Error]> = [
    ['GetObject 404 NoSuchKey', new NoSuchKey({ $metadata: metadata(404), message: 'no key' }), NotFoundError],
    ['HeadObject 404 NotFound', new NotFound({ $metadata: metadata(404), message: 'NotFound' }), NotFoundError],
    [
      '403 AccessDenied (role without s3:ListBucket)',
      new AccessDenied({ $metadata: metadata(403), message: 'Access Denied' }),
      NotFoundError,
    ],
    ['HeadObject 403 Forbidden', serviceError('Forbidden', 403), NotFoundError],
    ['416 InvalidRange', serviceError('InvalidRange', 416), RangeNotSatisfiableSignal],
    ['412 PreconditionFailed on a pinned re-read', serviceError('PreconditionFailed', 412), ObjectChangedError],
    ['503 SlowDown', serviceError('SlowDown', 503), ServiceUnavailableError],
    ['throttling by name only', serviceError('ThrottlingException', undefined), ServiceUnavailableError],
    ['500 InternalError (S3 says: try again)', serviceError('InternalError', 500), ServiceUnavailableError],
    [
      'SDK TimeoutError (first byte)',
      Object.assign(new Error('request timed out'), { name: 'TimeoutError' }),
      GatewayTimeoutError,
    ],
    ['socket ETIMEDOUT', nodeError('ETIMEDOUT'), GatewayTimeoutError],
    ['S3 400 RequestTimeout', serviceError('RequestTimeout', 400), GatewayTimeoutError],
    ['connection refused after retries', nodeError('ECONNREFUSED'), ServiceUnavailableError],
    ['304 named Unknown (never expected: we send no If-None-Match)', serviceError('Unknown', 304), InternalServerError],
    ['400 InvalidArgument', serviceError('InvalidArgument', 400), InternalServerError],
    ['not an error at all', 'boom', InternalServerError],
    ['null', null, InternalServerError],
  ];

  test.each(cases)('%s', (_name, error, expected) => {
    // Act
    const mapped = mapS3Error(error, 'req-42', '"etag"');

    // Assess
    expect(mapped).toBeInstanceOf(expected);
    expect(mapped.cause).toBe(error);
  });

  test('HTTP errors never carry the S3 message, bucket or key; the 500 names the request id', () => {
    // Prepare
    const errors = [
      serviceError('SlowDown', 503),
      serviceError('InvalidArgument', 400),
      new NoSuchKey({ $metadata: metadata(404), message: 'secret-bucket-name' }),
      nodeError('ETIMEDOUT'),
    ];

    // Act
    const mapped = errors.map((error) => mapS3Error(error, 'req-42'));

    // Assess
    for (const error of mapped) {
      expect(error).toBeInstanceOf(HttpError);
      expect(error.message).not.toMatch(/secret|bucket|key|SlowDown|InvalidArgument|ETIMEDOUT/i);
    }
    expect(mapped.map((error) => error.message)).toEqual([
      'Service Unavailable',
      'Internal Server Error (request id req-42)',
      'Not Found',
      'Gateway Timeout',
    ]);
  });

  test('503 carries Retry-After; 416 carries the object size S3 reported; 412 names the pinned ETag', () => {
    // Act
    const throttled = mapS3Error(serviceError('SlowDown', 503), 'r');
    const unsatisfiable = mapS3Error(serviceError('InvalidRange', 416, { ActualObjectSize: '1234' }), 'r');
    const changed = mapS3Error(serviceError('PreconditionFailed', 412), 'r', '"v1"');

    // Assess
    expect(throttled).toBeInstanceOf(ServiceUnavailableError);
    expect((throttled as ServiceUnavailableError).headers).toEqual({ 'retry-after': '1' });
    expect((unsatisfiable as RangeNotSatisfiableSignal).actualSize).toBe(1234);
    expect((changed as ObjectChangedError).etag).toBe('"v1"');
  });

  test('errors are shaped for @middy/http-error-handler: statusCode, expose, message', () => {
    // Act
    const mapped = mapS3Error(serviceError('SlowDown', 503), 'r') as HttpError;

    // Assess
    expect({ statusCode: mapped.statusCode, expose: mapped.expose, message: mapped.message }).toEqual({
      statusCode: 503,
      expose: true,
      message: 'Service Unavailable',
    });
  });
});
