/**
 * Test key pairs for CloudFront signed URLs and cookies (RSA 2048, PEM, as CloudFront requires), generated once
 * per test file, plus helpers minting tokens with @aws-sdk/cloudfront-signer: the library is the oracle.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';

export interface TestKeyPair {
  readonly keyPairId: string;
  readonly privateKey: string;
  readonly publicKeyPem: string;
  readonly publicKey: KeyObject;
}

export function testKeyPair(keyPairId: string): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { keyPairId, privateKey, publicKeyPem: publicKey, publicKey: createPublicKey(publicKey) };
}

export function keysOf(...pairs: readonly TestKeyPair[]): ReadonlyMap<string, KeyObject> {
  return new Map(pairs.map((pair) => [pair.keyPairId, pair.publicKey]));
}

/** `{ keyId: PEM }`, the SIGNING_PUBLIC_KEYS format. */
export function signingKeysJson(...pairs: readonly TestKeyPair[]): string {
  return JSON.stringify(Object.fromEntries(pairs.map((pair) => [pair.keyPairId, pair.publicKeyPem])));
}

export interface PolicyInput {
  readonly resource?: string;
  readonly dateLessThan: number;
  readonly dateGreaterThan?: number;
  readonly sourceIp?: string;
}

/** A custom policy document as CloudFront documents it (epoch seconds). */
export function customPolicy(input: PolicyInput): string {
  const condition: Record<string, unknown> = { DateLessThan: { 'AWS:EpochTime': input.dateLessThan } };
  if (input.dateGreaterThan !== undefined) condition.DateGreaterThan = { 'AWS:EpochTime': input.dateGreaterThan };
  if (input.sourceIp !== undefined) condition.IpAddress = { 'AWS:SourceIp': input.sourceIp };
  return JSON.stringify({
    Statement: [{ ...(input.resource === undefined ? {} : { Resource: input.resource }), Condition: condition }],
  });
}

/** A canned-policy signed URL for `url`, valid until `expiresAt` (epoch seconds). */
export function cannedUrl(pair: TestKeyPair, url: string, expiresAt: number, algorithm?: 'SHA1' | 'SHA256'): string {
  return getSignedUrl({
    url,
    keyPairId: pair.keyPairId,
    privateKey: pair.privateKey,
    dateLessThan: new Date(expiresAt * 1000),
    ...(algorithm === undefined ? {} : { algorithm }),
  });
}

/** A custom-policy signed URL: `url` carries the signature, `policy` says what it grants. */
export function customUrl(pair: TestKeyPair, url: string, policy: string, algorithm?: 'SHA1' | 'SHA256'): string {
  return getSignedUrl({
    url,
    policy,
    keyPairId: pair.keyPairId,
    privateKey: pair.privateKey,
    ...(algorithm === undefined ? {} : { algorithm }),
  });
}

/** Signed cookies for a custom policy, as `name=value` strings (what a Function URL event's `cookies` holds). */
export function customCookies(pair: TestKeyPair, policy: string): string[] {
  const cookies = getSignedCookies({ policy, keyPairId: pair.keyPairId, privateKey: pair.privateKey });
  return Object.entries(cookies).map(([name, value]) => `${name}=${String(value)}`);
}

/** Signed cookies for a canned policy (`url` without wildcards). */
export function cannedCookies(pair: TestKeyPair, url: string, expiresAt: number): string[] {
  const cookies = getSignedCookies({
    url,
    dateLessThan: new Date(expiresAt * 1000),
    keyPairId: pair.keyPairId,
    privateKey: pair.privateKey,
  });
  return Object.entries(cookies).map(([name, value]) => `${name}=${String(value)}`);
}

/** The raw query of a URL (no "?"). */
export function rawQueryOf(url: string): string {
  const question = url.indexOf('?');
  return question === -1 ? '' : url.slice(question + 1);
}

/** The raw path of an absolute URL. */
export function rawPathOf(url: string): string {
  const match = /^[a-z]+:\/\/[^/]+([^?]*)/i.exec(url);
  return match?.[1] ?? '/';
}
