/**
 * The one redaction every log line goes through (lambda/observability/redact.ts): signing values, cookies and
 * credentials out, names and everything else kept as given.
 */
import { describe, expect, it } from '@jest/globals';
import {
  REDACTED,
  redactCookies,
  redactError,
  redactHeaders,
  redactText,
  redactUrl,
} from '../../../lambda/observability/redact.ts';

describe('redactUrl', () => {
  it.each([
    ['/a.mp4', '/a.mp4'],
    ['/a.mp4?t=1', '/a.mp4?t=1'],
    [
      '/a.mp4?Expires=1&Signature=s~x_&Key-Pair-Id=K1&t=2',
      '/a.mp4?Expires=1&Signature=REDACTED&Key-Pair-Id=REDACTED&t=2',
    ],
    ['/a.mp4?Policy=eyJ&x-amz-security-token=tok', '/a.mp4?Policy=REDACTED&x-amz-security-token=REDACTED'],
    ['/a.mp4?%53ignature=s', '/a.mp4?%53ignature=REDACTED'],
    ['/a.mp4?Signature', '/a.mp4?Signature=REDACTED'],
    [
      'http://127.0.0.1:4566/media/a.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=local%2F20261201&X-Amz-Signature=abc#t=1',
      'http://127.0.0.1:4566/media/a.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED#t=1',
    ],
    ['/a%ZZ.mp4?%ZZ=1&signature=s', '/a%ZZ.mp4?%ZZ=1&signature=REDACTED'],
  ])('%s -> %s', (url, expected) => {
    // Act, Assess
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('redactCookies', () => {
  it('keeps every cookie name and replaces every value', () => {
    // Prepare
    const header = 'CloudFront-Policy=eyJ; CloudFront-Signature=s~1; CloudFront-Key-Pair-Id=K1; session=abc';

    // Act
    const redacted = redactCookies(header);

    // Assess
    expect(redacted).toBe(
      'CloudFront-Policy=REDACTED; CloudFront-Signature=REDACTED; CloudFront-Key-Pair-Id=REDACTED; session=REDACTED',
    );
  });
});

describe('redactHeaders', () => {
  it('redacts cookies, credentials and signed URLs, and leaves the other headers as they are', () => {
    // Prepare
    const headers = {
      cookie: 'a=1; b=2',
      'set-cookie': ['CloudFront-Signature=s; Path=/', 'x=y'],
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=abc',
      location: 'http://s3.local/b/k?X-Amz-Signature=abc&x-id=GetObject',
      range: 'bytes=0-1',
      'if-none-match': undefined,
    };

    // Act
    const redacted = redactHeaders(headers);

    // Assess
    expect(redacted).toEqual({
      cookie: 'a=REDACTED; b=REDACTED',
      'set-cookie': ['CloudFront-Signature=REDACTED; Path=REDACTED', 'x=REDACTED'],
      Authorization: REDACTED,
      location: 'http://s3.local/b/k?X-Amz-Signature=REDACTED&x-id=GetObject',
      range: 'bytes=0-1',
      'if-none-match': undefined,
    });
  });
});

describe('redactText', () => {
  it.each([
    [
      'GET /a.mp4?Expires=9&Signature=s~x&Key-Pair-Id=K1: 413',
      'GET /a.mp4?Expires=9&Signature=REDACTED&Key-Pair-Id=REDACTED: 413',
    ],
    ['redirect to http://s3/k?X-Amz-Signature=ab12 failed', 'redirect to http://s3/k?X-Amz-Signature=REDACTED failed'],
    ['next=%2Fa%3FPolicy%3DeyJ%26Signature%3Dxyz', 'next=%2Fa%3FPolicy%3DREDACTED'],
    [
      'cookie header was "CloudFront-Policy=eyJ; CloudFront-Signature=s"',
      'cookie header was "CloudFront-Policy=REDACTED; CloudFront-Signature=REDACTED"',
    ],
    ['Authorization: Bearer abc\nnext line', 'Authorization: REDACTED\nnext line'],
    ['Cookie: session=abc', 'Cookie: REDACTED'],
    ['MySignature=kept and policy names in prose stay', 'MySignature=kept and policy names in prose stay'],
  ])('%j -> %j', (text, expected) => {
    // Act, Assess
    expect(redactText(text)).toBe(expected);
  });
});

describe('redactError', () => {
  it('returns the same error when nothing in it is secret', () => {
    // Prepare
    const error = new RangeError('bad range');

    // Act
    const redacted = redactError(error);

    // Assess
    expect(redacted).toBe(error);
  });

  it('redacts the message, the stack and the cause, and keeps the name', () => {
    // Prepare
    const cause = new Error('GET http://s3/k?X-Amz-Signature=abc');
    const error = new TypeError('fetch /a?Signature=s failed', { cause });

    // Act
    const redacted = redactError(error);

    // Assess
    expect(redacted.name).toBe('TypeError');
    expect(redacted.message).toBe('fetch /a?Signature=REDACTED failed');
    expect(redacted.stack).not.toContain('Signature=s ');
    expect((redacted.cause as Error).message).toBe('GET http://s3/k?X-Amz-Signature=REDACTED');
  });
});
