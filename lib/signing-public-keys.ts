/**
 * Private media: the public keys CloudFront and the function trust for signed URLs and cookies, from
 * CDK context. Each key has a NAME you choose (stable across deployments: it names the `PublicKey` construct, so
 * adding a key for a rotation never replaces the others) and a PEM value or a path to a PEM file.
 *
 *   cdk.json:  "signingPublicKeys": { "media-2026-01": "keys/media-2026-01.public.pem" }
 *   CLI:       -c signingPublicKeys=media-2026-01=keys/a.public.pem,media-2026-06=keys/b.public.pem
 *
 * CloudFront's key id (what signers put in Key-Pair-Id) is NOT the name: it is the id CloudFront generates for the
 * `PublicKey` (e.g. K2JCJMDEHXQW5F), known after deployment (stack output `SigningKeyIds`).
 * Validated here so synthesis fails with a clear message: readable file, a PUBLIC key (a private key must never
 * reach a template), RSA 2048 (what CloudFront accepts for signed URLs), at most 5 keys (CloudFront's per-key-group
 * quota). The PEM is normalized to SPKI ("BEGIN PUBLIC KEY"), the form CloudFront's EncodedKey takes.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './config-error.ts';

export interface SigningPublicKey {
  /** Your name for the key (letters, digits, - and _): the PublicKey construct id and its comment. */
  readonly name: string;
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly pem: string;
}

/** CloudFront quota: public keys per key group. */
export const MAX_SIGNING_KEYS = 5;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Context value -> validated keys. `baseDir` resolves relative file paths (the CDK app's working directory). */
export function signingPublicKeysFromContext(key: string, raw: unknown, baseDir: string): SigningPublicKey[] {
  const entries = entriesOf(key, raw);
  if (entries.length === 0 || entries.length > MAX_SIGNING_KEYS) {
    throw new ConfigError('context key', key, raw, `1 to ${MAX_SIGNING_KEYS} named public keys`);
  }
  return entries.map(([name, value]) => {
    if (!NAME.test(name)) {
      throw new ConfigError('context key', key, raw, `key names of letters, digits, - and _; "${name}" is not one`);
    }
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ConfigError('context key', key, raw, `a PEM public key or a PEM file path for "${name}"`);
    }
    const text = value.includes('-----BEGIN') ? value : readPem(key, name, resolve(baseDir, value.trim()));
    return { name, pem: validatedPem(key, name, text) };
  });
}

/** Checks a key given to the construct directly (the context path has checked it already). */
export function validateSigningPublicKeys(keys: readonly SigningPublicKey[]): void {
  if (keys.length > MAX_SIGNING_KEYS) {
    throw new ConfigError('property', 'signingPublicKeys', keys.length, `at most ${MAX_SIGNING_KEYS} keys`);
  }
  const names = new Set<string>();
  for (const { name, pem } of keys) {
    if (!NAME.test(name) || names.has(name)) {
      throw new ConfigError('property', 'signingPublicKeys', name, 'unique names of letters, digits, - and _');
    }
    names.add(name);
    validatedPem('signingPublicKeys', name, pem);
  }
}

function entriesOf(key: string, raw: unknown): Array<[string, unknown]> {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return Object.entries(raw);
  if (typeof raw === 'string') {
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map((item): [string, unknown] => {
        const eq = item.indexOf('=');
        if (eq <= 0) {
          throw new ConfigError('context key', key, raw, `name=path pairs separated by commas; "${item}" is not one`);
        }
        return [item.slice(0, eq), item.slice(eq + 1)];
      });
  }
  throw new ConfigError('context key', key, raw, 'an object {"<name>": "<PEM file or PEM>"} or "name=path,name=path"');
}

function readPem(key: string, name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('context key', key, path, `a readable PEM file for "${name}"`, { cause: error });
  }
}

function validatedPem(key: string, name: string, text: string): string {
  if (/PRIVATE KEY/.test(text)) {
    throw new ConfigError(
      'context key',
      key,
      name,
      `the PUBLIC key for "${name}": this is a private key, which must never go into a template`,
    );
  }
  let publicKey: ReturnType<typeof createPublicKey>;
  try {
    publicKey = createPublicKey(text);
  } catch (error) {
    throw new ConfigError('context key', key, name, `a PEM public key for "${name}"`, { cause: error });
  }
  const details = publicKey.asymmetricKeyDetails;
  if (publicKey.asymmetricKeyType !== 'rsa' || details?.modulusLength !== 2048) {
    throw new ConfigError('context key', key, name, `an RSA 2048-bit key for "${name}" (what CloudFront accepts)`);
  }
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
