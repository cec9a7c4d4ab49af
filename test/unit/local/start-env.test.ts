import { describe, expect, it } from '@jest/globals';
import { StartEnvError, startOptionsFromEnv } from '../../../local/start-env.ts';

const MEDIA = new URL('file:///repo/media/');

describe('startOptionsFromEnv', () => {
  it('defaults to 127.0.0.1:3000, the embedded store and the sample media', () => {
    // Act
    const options = startOptionsFromEnv({}, MEDIA);

    // Assess
    expect(options).toEqual({ host: '127.0.0.1', port: 3000, mediaDir: '/repo/media/' });
  });

  it('reads PORT, HOST, DEMO_PORT, MEDIA_DIR and BUCKET; PORT=0 means ephemeral', () => {
    // Act
    const options = startOptionsFromEnv(
      { PORT: '0', HOST: '::1', DEMO_PORT: '0', MEDIA_DIR: '/data', BUCKET: 'my-media' },
      MEDIA,
    );

    // Assess
    expect(options).toEqual({ host: '::1', port: 0, demoPort: 0, mediaDir: '/data', bucket: 'my-media' });
  });

  it('does not seed an external store unless MEDIA_DIR is given', () => {
    // Act
    const options = startOptionsFromEnv({ S3_ENDPOINT: 'http://127.0.0.1:9000', BUCKET: 'b-1' }, MEDIA);

    // Assess
    expect(options).toEqual({ host: '127.0.0.1', port: 3000, s3Endpoint: 'http://127.0.0.1:9000', bucket: 'b-1' });
  });

  it('selects the runtime: LOCAL_RUNTIME=aws-lambda-ric with LOCAL_RIC_MAX_ENVIRONMENTS, or the emulation', () => {
    // Act
    const real = startOptionsFromEnv({ LOCAL_RUNTIME: 'aws-lambda-ric', LOCAL_RIC_MAX_ENVIRONMENTS: '3' }, MEDIA);
    const emulation = startOptionsFromEnv({ LOCAL_RUNTIME: 'emulation' }, MEDIA);

    // Assess
    expect(real.runtime).toEqual({ mode: 'aws-lambda-ric', maxEnvironments: 3 });
    expect(emulation.runtime).toEqual({ mode: 'emulation' });
  });

  it('treats empty values as unset', () => {
    // Act
    const options = startOptionsFromEnv({ PORT: '', HOST: ' ', S3_ENDPOINT: '' }, MEDIA);

    // Assess
    expect(options.port).toBe(3000);
    expect(options.host).toBe('127.0.0.1');
    expect(options.s3Endpoint).toBeUndefined();
  });

  it.each([
    [{ PORT: '30x0' }, /PORT must be a TCP port/],
    [{ PORT: '70000' }, /PORT must be a TCP port/],
    [{ DEMO_PORT: '-1' }, /DEMO_PORT must be a TCP port/],
    [{ PORT: '4000', DEMO_PORT: '4000' }, /DEMO_PORT must differ from PORT/],
    [{ S3_ENDPOINT: 'http://127.0.0.1:9000' }, /BUCKET is required with S3_ENDPOINT/],
    [{ S3_ENDPOINT: 'not a url', BUCKET: 'b-1' }, /S3_ENDPOINT must be an http\(s\) URL/],
    [{ S3_ENDPOINT: 'ftp://x', BUCKET: 'b-1' }, /S3_ENDPOINT must be an http\(s\) URL/],
    [{ BUCKET: 'Bad_Name' }, /BUCKET must be a valid S3 bucket name/],
    [{ LOCAL_RUNTIME: 'ric' }, /LOCAL_RUNTIME must be "emulation" or "aws-lambda-ric"/],
    [{ LOCAL_RIC_MAX_ENVIRONMENTS: '4' }, /LOCAL_RIC_MAX_ENVIRONMENTS applies only with LOCAL_RUNTIME=aws-lambda-ric/],
    [{ LOCAL_RUNTIME: 'aws-lambda-ric', LOCAL_RIC_MAX_ENVIRONMENTS: '0' }, /LOCAL_RIC_MAX_ENVIRONMENTS must be/],
    [{ LOCAL_RUNTIME: 'aws-lambda-ric', LOCAL_RIC_MAX_ENVIRONMENTS: '2x' }, /LOCAL_RIC_MAX_ENVIRONMENTS must be/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    // Act
    const act = (): unknown => startOptionsFromEnv(env, MEDIA);

    // Assess
    expect(act).toThrow(StartEnvError);
    expect(act).toThrow(message);
  });
});
