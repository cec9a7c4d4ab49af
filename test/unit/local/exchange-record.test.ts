/**
 * The request log's record (local/function-url/exchange-record.ts): what was asked, what was sent, and nothing
 * that authorises a request (signing values in the query, a presigned redirect's query).
 */
import { describe, expect, it } from '@jest/globals';
import { buildExchangeRecord, type ExchangeFacts } from '../../../local/function-url/exchange-record.ts';

const FACTS: ExchangeFacts = {
  requestId: 'req-1',
  receivedAt: new Date('2026-12-01T10:00:00.000Z'),
  method: 'GET',
  target: '/clip.mp4',
  requestHeaders: {
    range: 'bytes=100-',
    'user-agent': 'GStreamer souphttpsrc libsoup/3.4',
    cookie: 'CloudFront-Signature=x',
  },
  statusCode: 206,
  responseHeaders: {
    'content-range': 'bytes 100-65635/300000',
    'x-amzn-remapped-content-length': '65536',
    'content-type': 'video/mp4',
  },
  bodyBytes: 65536,
  firstByteMs: 12.345,
  durationMs: 40.06,
  outcome: 'complete',
};

describe('buildExchangeRecord', () => {
  it('carries the request line, Range, status, Content-Range, declared length, bytes and timings', () => {
    // Act
    const record = buildExchangeRecord(FACTS);

    // Assess
    expect(record).toEqual({
      id: 'req-1',
      time: '2026-12-01T10:00:00.000Z',
      method: 'GET',
      path: '/clip.mp4',
      range: 'bytes=100-',
      ifRange: null,
      status: 206,
      contentRange: 'bytes 100-65635/300000',
      declaredLength: 65536,
      contentType: 'video/mp4',
      redirectedTo: null,
      bytes: 65536,
      firstByteMs: 12.3,
      durationMs: 40.1,
      outcome: 'complete',
      userAgent: 'GStreamer souphttpsrc libsoup/3.4',
    });
    expect(JSON.stringify(record)).not.toContain('CloudFront-Signature');
  });

  it('a 307 to a presigned URL shows where it went, never the query that carries the signature', () => {
    // Prepare
    const location =
      'http://127.0.0.1:4566/media/clip.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA&X-Amz-Signature=abc123';

    // Act
    const record = buildExchangeRecord({
      ...FACTS,
      requestHeaders: {},
      statusCode: 307,
      responseHeaders: { location, 'content-length': '0' },
      bodyBytes: 0,
    });

    // Assess
    expect(record.redirectedTo).toBe('http://127.0.0.1:4566/media/clip.mp4');
    expect(record.range).toBeNull();
    expect(record.declaredLength).toBe(0);
    expect(JSON.stringify(record)).not.toMatch(/abc123|AKIA/);
  });

  it('a Location on a non-redirect is not shown as a redirect', () => {
    // Act
    const record = buildExchangeRecord({ ...FACTS, statusCode: 201, responseHeaders: { location: '/x' } });

    // Assess
    expect(record.redirectedTo).toBeNull();
  });

  it('a viewer that left before the head: no status, no first byte, its outcome', () => {
    // Act
    const record = buildExchangeRecord({
      ...FACTS,
      statusCode: undefined,
      responseHeaders: {},
      bodyBytes: 0,
      firstByteMs: undefined,
      outcome: 'viewer-gone',
    });

    // Assess
    expect(record).toMatchObject({
      status: null,
      contentRange: null,
      firstByteMs: null,
      bytes: 0,
      outcome: 'viewer-gone',
    });
  });

  it('repeated request headers are joined; a declared length that is not a number is dropped', () => {
    // Act
    const record = buildExchangeRecord({
      ...FACTS,
      requestHeaders: { 'if-range': '"etag-1"', 'user-agent': ['a', 'b'] },
      responseHeaders: { 'x-amzn-remapped-content-length': 'lots' },
    });

    // Assess
    expect(record.ifRange).toBe('"etag-1"');
    expect(record.userAgent).toBe('a, b');
    expect(record.declaredLength).toBeNull();
  });
});
