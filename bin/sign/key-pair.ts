/**
 * An RSA 2048 key pair for CloudFront signing, as PEM files in one directory: `private_key.pem` (PKCS#8, mode 0600)
 * and `public_key.pem` (SPKI, what `-c signingPublicKeys=name=<file>` and CloudFront take). Shared by
 * `npm run sign -- --generate-key-pair` and the local stack's dev key (local/dev-signing-key.ts).
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KeyPairFiles {
  readonly privateKeyFile: string;
  readonly publicKeyFile: string;
}

export function keyPairFiles(dir: string): KeyPairFiles {
  return { privateKeyFile: join(dir, 'private_key.pem'), publicKeyFile: join(dir, 'public_key.pem') };
}

/** Writes a new pair; refuses (Error) to overwrite an existing one. */
export function generateKeyPairFiles(dir: string): KeyPairFiles {
  const files = keyPairFiles(dir);
  if (existsSync(files.privateKeyFile) || existsSync(files.publicKeyFile)) {
    throw new Error(`${dir} already holds a key pair; refusing to overwrite it`);
  }
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(files.privateKeyFile, privateKey, { mode: 0o600, flag: 'wx' });
  writeFileSync(files.publicKeyFile, publicKey, { mode: 0o644, flag: 'wx' });
  return files;
}
