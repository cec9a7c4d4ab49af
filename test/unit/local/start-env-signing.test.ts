/** `npm start`'s private-media variables. */

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SIGNING_KEY_DIR } from '../../../local/dev-signing-key.ts';
import { StartEnvError, startOptionsFromEnv } from '../../../local/start-env.ts';

const MEDIA = new URL('file:///repo/media/');

describe('startOptionsFromEnv: signing', () => {
  it('off by default', () => {
    expect(startOptionsFromEnv({}, MEDIA).signingKeyDir).toBeUndefined();
    expect(startOptionsFromEnv({ REQUIRE_SIGNED_REQUESTS: 'false' }, MEDIA).signingKeyDir).toBeUndefined();
  });

  it('REQUIRE_SIGNED_REQUESTS=true uses the git-ignored default key folder', () => {
    expect(startOptionsFromEnv({ REQUIRE_SIGNED_REQUESTS: 'true' }, MEDIA).signingKeyDir).toBe(
      fileURLToPath(DEFAULT_SIGNING_KEY_DIR),
    );
  });

  it('SIGNING_KEY_DIR alone turns signing on with that folder', () => {
    expect(startOptionsFromEnv({ SIGNING_KEY_DIR: '/keys' }, MEDIA).signingKeyDir).toBe('/keys');
  });

  it.each([
    [{ REQUIRE_SIGNED_REQUESTS: 'yes' }, /REQUIRE_SIGNED_REQUESTS must be "true" or "false"/],
    [{ REQUIRE_SIGNED_REQUESTS: 'false', SIGNING_KEY_DIR: '/keys' }, /SIGNING_KEY_DIR requires signatures/],
  ])('refuses %j', (env, message) => {
    const act = () => startOptionsFromEnv(env, MEDIA);
    expect(act).toThrow(StartEnvError);
    expect(act).toThrow(message);
  });
});
