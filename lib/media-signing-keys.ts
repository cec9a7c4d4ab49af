import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import type { SigningPublicKey } from './signing-public-keys.ts';

/**
 * CloudFront's side of private media: one `PublicKey` per configured key and a `KeyGroup` holding them
 * all, set as `trustedKeyGroups` on the media behaviour (lib/media-cdn.ts), so CloudFront refuses unsigned or
 * badly signed viewer requests at the edge. Two keys in the group = rotation without downtime (docs/private-media.md).
 */
export class MediaSigningKeys extends Construct {
  readonly keyGroup: cloudfront.KeyGroup;
  readonly publicKeys: readonly cloudfront.PublicKey[];

  constructor(scope: Construct, id: string, keys: readonly SigningPublicKey[]) {
    super(scope, id);
    this.publicKeys = keys.map(
      (key) =>
        new cloudfront.PublicKey(this, key.name, {
          encodedKey: key.pem,
          comment: `media-origin signing key ${key.name}`,
        }),
    );
    this.keyGroup = new cloudfront.KeyGroup(this, 'KeyGroup', {
      items: [...this.publicKeys],
      comment: 'media-origin: keys trusted for signed URLs and signed cookies',
    });
  }

  /**
   * SIGNING_PUBLIC_KEYS for the function: `{"<CloudFront key id>": "<PEM>"}`. The id is the PublicKey's generated
   * id (a token resolved by CloudFormation), i.e. exactly what signers put in Key-Pair-Id.
   */
  functionKeysJson(keys: readonly SigningPublicKey[]): string {
    const entries = keys.map((key, index) => {
      const publicKey = this.publicKeys[index];
      if (publicKey === undefined) throw new Error(`no PublicKey for ${key.name}`);
      return `${JSON.stringify(publicKey.publicKeyId)}:${JSON.stringify(key.pem)}`;
    });
    return `{${entries.join(',')}}`;
  }
}
