/**
 * The local stack's signing key: generated on first use into a git-ignored folder (default
 * `.signing-keys/` at the repo root), then reused, so signed URLs minted by `npm run sign` keep working across
 * restarts. Its key id is derived from the public key (like CloudFront's, an opaque id, not a name).
 */
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { generateKeyPairFiles, keyPairFiles } from '../bin/sign/key-pair.ts';

/** Default folder for the local dev key pair (listed in .gitignore). */
export const DEFAULT_SIGNING_KEY_DIR = new URL('../.signing-keys/', import.meta.url);

export interface DevSigningKey {
  readonly keyPairId: string;
  readonly privateKey: string;
  readonly privateKeyFile: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
}

export function devSigningKey(dir: string): DevSigningKey {
  const files = keyPairFiles(dir);
  if (!existsSync(files.privateKeyFile)) generateKeyPairFiles(dir);
  const privateKey = readFileSync(files.privateKeyFile, 'utf8');
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const digest = createHash('sha256').update(publicKeyPem).digest('hex').slice(0, 12).toUpperCase();
  return { keyPairId: `KLOCAL${digest}`, privateKey, privateKeyFile: files.privateKeyFile, publicKeyPem };
}
