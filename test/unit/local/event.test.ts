import { describe, expect, it } from '@jest/globals';
import {
  formatRequestTime,
  type RequestFacts,
  splitTarget,
  toFunctionUrlEvent,
} from '../../../local/function-url/event.ts';

function facts(overrides: Partial<RequestFacts> = {}): RequestFacts {
  return {
    method: 'GET',
    target: '/a/b.mp4',
    httpVersion: '1.1',
    rawHeaders: ['Host', '127.0.0.1:3000', 'User-Agent', 'curl/8'],
    sourceIp: '127.0.0.1',
    localPort: 3000,
    body: undefined,
    requestId: 'req-1',
    traceId: 'Root=1-00000000-000000000000000000000000',
    receivedAt: new Date(Date.UTC(2020, 2, 12, 19, 3, 58, 390)),
    urlId: 'local',
    ...overrides,
  };
}

describe('toFunctionUrlEvent', () => {
  it('keeps rawPath percent-encoded and splits off the raw query', () => {
    // Prepare
    const request = facts({ target: '/dir%20x/a%2Bb%25c=d%C3%A9.mp4?x=1%202&y' });

    // Act
    const event = toFunctionUrlEvent(request);

    // Assess
    expect(event.rawPath).toBe('/dir%20x/a%2Bb%25c=d%C3%A9.mp4');
    expect(event.requestContext.http.path).toBe('/dir%20x/a%2Bb%25c=d%C3%A9.mp4');
    expect(event.rawQueryString).toBe('x=1%202&y');
    expect(event.queryStringParameters).toEqual({ x: '1 2', y: '' });
  });

  it('joins repeated query parameters and headers with commas and lower-cases header names', () => {
    // Prepare
    const request = facts({
      target: '/k?a=1&a=2',
      rawHeaders: ['Host', 'h', 'X-Thing', 'one', 'x-thing', 'two', 'Range', 'bytes=0-1'],
    });

    // Act
    const event = toFunctionUrlEvent(request);

    // Assess
    expect(event.queryStringParameters).toEqual({ a: '1,2' });
    expect(event.headers['x-thing']).toBe('one,two');
    expect(event.headers.range).toBe('bytes=0-1');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('moves cookies out of the headers into the cookies array', () => {
    // Prepare
    const request = facts({ rawHeaders: ['Host', 'h', 'Cookie', 'a=1; b=2', 'Cookie', 'c=3'] });

    // Act
    const event = toFunctionUrlEvent(request);

    // Assess
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers.cookie).toBeUndefined();
  });

  it('fills requestContext like a Function URL with AuthType NONE', () => {
    // Act
    const event = toFunctionUrlEvent(facts({ method: 'HEAD' }));

    // Assess
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('$default');
    expect(event.requestContext).toEqual({
      accountId: 'anonymous',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method: 'HEAD', path: '/a/b.mp4', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: Date.UTC(2020, 2, 12, 19, 3, 58, 390),
    });
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.cookies).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('adds the forwarding headers and a trace id, appending to an existing X-Forwarded-For', () => {
    // Prepare
    const request = facts({ rawHeaders: ['Host', 'h:1', 'X-Forwarded-For', '203.0.113.9'] });

    // Act
    const event = toFunctionUrlEvent(request);

    // Assess
    expect(event.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(event.headers['x-forwarded-proto']).toBe('http');
    expect(event.headers['x-forwarded-port']).toBe('3000');
    expect(event.headers['x-amzn-trace-id']).toBe('Root=1-00000000-000000000000000000000000');
  });

  it('passes a textual body as text and a binary body as base64', () => {
    // Prepare
    const text = facts({
      method: 'POST',
      rawHeaders: ['Content-Type', 'application/json'],
      body: Buffer.from('{"a":1}'),
    });
    const binary = facts({ method: 'POST', rawHeaders: ['Content-Type', 'video/mp4'], body: Buffer.from([0, 255, 1]) });

    // Act
    const textEvent = toFunctionUrlEvent(text);
    const binaryEvent = toFunctionUrlEvent(binary);

    // Assess
    expect(textEvent.body).toBe('{"a":1}');
    expect(textEvent.isBase64Encoded).toBe(false);
    expect(binaryEvent.body).toBe(Buffer.from([0, 255, 1]).toString('base64'));
    expect(binaryEvent.isBase64Encoded).toBe(true);
  });
});

describe('splitTarget', () => {
  it.each([
    ['/', '/', ''],
    ['/a?', '/a', ''],
    ['/a?b=c?d', '/a', 'b=c?d'],
    ['http://example.com/x%20y?q=1', '/x%20y', 'q=1'],
    ['http://example.com', '/', ''],
    ['/a#frag', '/a', ''],
  ])('%s -> path %s, query %s', (target, rawPath, rawQueryString) => {
    // Act
    const result = splitTarget(target);

    // Assess
    expect(result).toEqual({ rawPath, rawQueryString });
  });
});

describe('formatRequestTime', () => {
  it('pads every field', () => {
    // Act
    const text = formatRequestTime(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));

    // Assess
    expect(text).toBe('02/Jan/2024:03:04:05 +0000');
  });
});
