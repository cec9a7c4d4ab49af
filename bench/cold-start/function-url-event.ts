/**
 * The Function URL event (payload format 2.0) for a ranged GET by a player, as the bench's in-process hosts
 * (the cold-start probe, bench/profile/bundle-cpu.ts) hand it to the handler.
 */
export function rangedGetEvent(key: string, range: string, requestId: string) {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: `/${key}`,
    rawQueryString: '',
    headers: {
      host: 'abcdefghijklmnop.lambda-url.us-east-1.on.aws',
      range,
      'user-agent': 'AppleCoreMedia/1.0.0',
      accept: '*/*',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnop',
      domainName: 'abcdefghijklmnop.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefghijklmnop',
      http: {
        method: 'GET',
        path: `/${key}`,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'AppleCoreMedia/1.0.0',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}
