import { describe, expect, it } from '@jest/globals';
import {
  errorBody,
  errorHead,
  headForEmptyIntegrationStream,
  headFromPrelude,
  headWithoutPrelude,
} from '../../../local/function-url/response-head.ts';

const URL_HEADERS = { requestId: 'rid', traceId: 'Root=1-a-b' };

describe('headFromPrelude', () => {
  it('keeps status, headers and cookies and adds the URL headers', () => {
    // Act
    const result = headFromPrelude(
      { statusCode: 206, headers: { 'Content-Range': 'bytes 0-1/10', ETag: '"x"' }, cookies: ['a=1', 'b=2'] },
      URL_HEADERS,
    );

    // Assess
    expect(result).toEqual({
      ok: true,
      head: {
        statusCode: 206,
        headers: [
          ['Content-Range', 'bytes 0-1/10'],
          ['ETag', '"x"'],
          ['Set-Cookie', 'a=1'],
          ['Set-Cookie', 'b=2'],
          ['x-amzn-RequestId', 'rid'],
          ['X-Amzn-Trace-Id', 'Root=1-a-b'],
        ],
      },
    });
  });

  it('renames Content-Length to x-amzn-Remapped-Content-Length so the body goes out chunked', () => {
    // Act
    const result = headFromPrelude({ statusCode: 200, headers: { 'content-length': 42 } }, URL_HEADERS);

    // Assess
    expect(result.ok && result.head.headers).toContainEqual(['x-amzn-Remapped-Content-Length', '42']);
    expect(result.ok && result.head.headers.some(([name]) => name.toLowerCase() === 'content-length')).toBe(false);
  });

  it.each([
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['deflate', 'deflate'],
    ['br', 'br'],
    ['identity', undefined],
  ])('removes Content-Encoding %s and asks for decoding %s', (coding, decode) => {
    // Act
    const result = headFromPrelude({ statusCode: 200, headers: { 'Content-Encoding': coding } }, URL_HEADERS);

    // Assess
    expect(result.ok).toBe(true);
    expect(result.ok && result.head.decode).toBe(decode);
    expect(result.ok && result.head.headers.some(([name]) => name === 'Content-Encoding')).toBe(false);
  });

  it('drops hop-by-hop fields and the URL-owned ones', () => {
    // Act
    const result = headFromPrelude(
      {
        statusCode: 200,
        headers: { Connection: 'close', 'Transfer-Encoding': 'chunked', 'Keep-Alive': 'x', Date: 'y', 'x-ok': '1' },
      },
      URL_HEADERS,
    );

    // Assess
    expect(result.ok && result.head.headers.map(([name]) => name)).toEqual([
      'x-ok',
      'x-amzn-RequestId',
      'X-Amzn-Trace-Id',
    ]);
  });

  it('defaults a missing statusCode to 200', () => {
    // Act
    const result = headFromPrelude({}, URL_HEADERS);

    // Assess
    expect(result.ok && result.head.statusCode).toBe(200);
  });

  it.each([
    ['a status below 200', { statusCode: 101 }],
    ['a status above 599', { statusCode: 600 }],
    ['a string status', { statusCode: '200' }],
    ['headers that are an array', { headers: [] }],
    ['a header value that is an object', { headers: { a: { b: 1 } } }],
    ['a header value with CR LF', { headers: { a: 'x\r\nInjected: 1' } }],
    ['a header name that is not a token', { headers: { 'a b': 'x' } }],
    ['cookies that are not an array', { cookies: 'a=1' }],
    ['a cookie with a newline', { cookies: ['a=1\nb'] }],
  ])('refuses %s', (_label, prelude) => {
    // Act
    const result = headFromPrelude(prelude, URL_HEADERS);

    // Assess
    expect(result.ok).toBe(false);
  });
});

describe('the heads without a prelude', () => {
  it('answers a plain stream with 200 and its content type', () => {
    // Act
    const head = headWithoutPrelude('text/plain', URL_HEADERS);

    // Assess
    expect(head.statusCode).toBe(200);
    expect(head.headers).toContainEqual(['Content-Type', 'text/plain']);
  });

  it('answers from() then end() with 200 and none of the handler headers', () => {
    // Act
    const head = headForEmptyIntegrationStream(URL_HEADERS);

    // Assess
    expect(head).toEqual({
      statusCode: 200,
      headers: [
        ['x-amzn-RequestId', 'rid'],
        ['X-Amzn-Trace-Id', 'Root=1-a-b'],
      ],
    });
  });

  it('answers errors with a JSON body', () => {
    // Act
    const head = errorHead(502, 'FunctionError', URL_HEADERS);

    // Assess
    expect(head.statusCode).toBe(502);
    expect(head.headers).toContainEqual(['Content-Type', 'application/json']);
    expect(JSON.parse(errorBody(502))).toEqual({ Message: 'Internal Server Error' });
  });
});
