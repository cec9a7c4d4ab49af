/**
 * `{"<key id>": "<PEM public key>", ...}` -> trusted keys, parsed ONCE (at init) with crypto.createPublicKey.
 * The key id is CloudFront's id for the public key (the `PublicKey` resource's generated id, e.g.
 * K2JCJMDEHXQW5F), which is what signers put in `Key-Pair-Id`. Only RSA keys: CloudFront signs with RSA.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

export class SigningKeysError extends Error {
  override readonly name = 'SigningKeysError';
}

const KEY_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function parseSigningKeys(json: string): ReadonlyMap<string, KeyObject> {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    throw new SigningKeysError('must be a JSON object {"<key id>": "<PEM public key>"}');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new SigningKeysError('must be a JSON object {"<key id>": "<PEM public key>"}');
  }
  const keys = new Map<string, KeyObject>();
  for (const [id, pem] of Object.entries(document)) {
    if (!KEY_ID.test(id)) throw new SigningKeysError(`key id ${JSON.stringify(id)} is not a CloudFront key id`);
    if (typeof pem !== 'string') throw new SigningKeysError(`key ${id} must be a PEM string`);
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new SigningKeysError(`key ${id} is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== 'rsa') throw new SigningKeysError(`key ${id} must be an RSA key`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new SigningKeysError('must name at least one key');
  return keys;
}
