import { generateKeyPairSync } from 'node:crypto';
import { parseSigningKeys, SigningKeysError } from '../../../lambda/signed-requests/signing-keys.ts';
import { testKeyPair } from '../../support/signing-keys.ts';

describe('parseSigningKeys', () => {
  const a = testKeyPair('K2JCJMDEHXQW5F');
  const b = testKeyPair('KOLDKEY');

  test('parses every key once, by id', () => {
    // Act
    const keys = parseSigningKeys(JSON.stringify({ [a.keyPairId]: a.publicKeyPem, [b.keyPairId]: b.publicKeyPem }));
    // Assess
    expect([...keys.keys()]).toEqual(['K2JCJMDEHXQW5F', 'KOLDKEY']);
    expect(keys.get('KOLDKEY')?.asymmetricKeyType).toBe('rsa');
  });

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
  test.each<[string, string, RegExp]>([
    ['not JSON', '{', /JSON object/],
    ['an array', '[]', /JSON object/],
    ['empty', '{}', /at least one/],
    ['a bad id', JSON.stringify({ 'has space': a.publicKeyPem }), /not a CloudFront key id/],
    ['a number', JSON.stringify({ K1: 5 }), /PEM string/],
    ['not PEM', JSON.stringify({ K1: 'hello' }), /not a PEM public key/],
    ['not RSA', JSON.stringify({ K1: ec }), /RSA/],
  ])('refuses %s', (_name, json, message) => {
    // Act / Assess
    expect(() => parseSigningKeys(json)).toThrow(SigningKeysError);
    expect(() => parseSigningKeys(json)).toThrow(message);
  });
});
