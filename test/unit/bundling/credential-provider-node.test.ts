/**
 * The deployed bundle's stand-in for the SDK's default credential chain (lambda/bundling/credential-provider-node.ts,
 * aliased in by lib/media-function.ts): the environment's credentials, as Lambda provides them, and a clear
 * CredentialsProviderError when they are missing.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { defaultProvider } from '../../../lambda/bundling/credential-provider-node.ts';

const NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of NAMES) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('defaultProvider (environment only)', () => {
  test("returns the execution role's credentials from the environment, session token included", async () => {
    // Prepare
    process.env.AWS_ACCESS_KEY_ID = 'ASIAEXAMPLEEXAMPLE12';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_SESSION_TOKEN = 'session';

    // Act
    const credentials = await defaultProvider()();

    // Assess
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
      secretAccessKey: 'secret',
      sessionToken: 'session',
    });
  });

  test('without credentials in the environment it fails with CredentialsProviderError, trying nothing else', async () => {
    // Prepare
    for (const name of NAMES) delete process.env[name];

    // Act
    const act = defaultProvider()();

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  });
});
