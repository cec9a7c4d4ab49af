/**
 * `@aws-sdk/credential-provider-node` for the deployed bundle: lib/media-function.ts aliases the package to this
 * file, so the S3 client's default credential chain is the environment's provider alone.
 *
 * Why: on Lambda the execution role's credentials arrive in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * which the default chain tries first and always finds. The rest of the chain (SSO, shared ini files, process,
 * web identity, container and instance metadata, and the nested STS/SSO clients they use) never runs there, yet
 * bundling it adds about a fifth of the bundle that V8 must load at every cold start. The TypeScript sources the
 * tests and the local stack run keep the full chain. Same export, same contract: a provider that throws
 * `CredentialsProviderError` when the variables are missing (the S3 call then fails with that error).
 */
import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: FromEnvInit = {}): ReturnType<typeof fromEnv> => fromEnv(init);
