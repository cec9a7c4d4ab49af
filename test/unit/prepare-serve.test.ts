import { ConfigError, loadConfig } from '../../lambda/config.ts';
import { prepareServe } from '../../lambda/serve-request.ts';

const config = loadConfig({ BUCKET_NAME: 'media-bucket', PLAIN_GET_REDIRECT: 'presigned-s3' });

describe('prepareServe', () => {
  test('derives the HTTP and plain-GET policies from the configuration', () => {
    // Act
    const policies = prepareServe(config);

    // Assess
    expect(policies.http).toEqual({
      openRangeCapBytes: config.openRangeCapBytes,
      maxResponseBytes: config.maxResponseBytes,
      maxRangeParts: config.maxRangeParts,
      defaultCacheControl: config.defaultCacheControl,
      cors: undefined,
    });
    expect(policies.plainGet).toEqual({
      policy: { mode: 'presigned-s3', minBytes: config.plainGetRedirectMinBytes, cors: undefined },
      expiresSeconds: config.plainGetRedirectExpiresSeconds,
    });
  });

  test.each<[string, Partial<typeof config>, RegExp]>([
    ['an HTTP policy field', { maxRangeParts: 0 }, /maxRangeParts/],
    ['a cache default with a newline', { defaultCacheControl: 'x\ny' }, /defaultCacheControl/],
    ['the plain-GET size', { plainGetRedirectMinBytes: 1.5 }, /minBytes/],
    ['the plain-GET mode', { plainGetRedirect: 'on' as 'off' }, /mode/],
    ['the redirect lifetime', { plainGetRedirectExpiresSeconds: 0 }, /expiresSeconds/],
  ])('an unusable %s fails at init with a ConfigError naming it', (_name, change, message) => {
    // Act / Assess
    expect(() => prepareServe({ ...config, ...change })).toThrow(ConfigError);
    expect(() => prepareServe({ ...config, ...change })).toThrow(message);
  });
});
