import { assertHttpPolicy, type HttpPolicy } from '../../../lambda/http/http-policy.ts';
import { POLICY } from '../../support/http-policy-fixture.ts';

const VALID = POLICY;

describe('assertHttpPolicy', () => {
  test.each<[string, HttpPolicy]>([
    ['defaults', VALID],
    ['CORS for everyone', { ...VALID, cors: { allowedOrigins: '*' } }],
    ['CORS for a list', { ...VALID, cors: { allowedOrigins: ['https://a.example', 'http://localhost:3001'] } }],
    ['CORS for nobody', { ...VALID, cors: { allowedOrigins: [] } }],
    ['CORS with credentials', { ...VALID, cors: { allowedOrigins: ['https://a.example'], allowCredentials: true } }],
    ['one byte caps', { ...VALID, openRangeCapBytes: 1, maxResponseBytes: 1, maxRangeParts: 1 }],
  ])('accepts %s', (_name, policy) => {
    // Prepare / Act
    const act = (): void => assertHttpPolicy(policy);
    // Assess
    expect(act).not.toThrow();
  });

  test.each<[string, HttpPolicy, RegExp]>([
    ['zero cap', { ...VALID, openRangeCapBytes: 0 }, /openRangeCapBytes/],
    ['fractional budget', { ...VALID, maxResponseBytes: 1.5 }, /maxResponseBytes/],
    ['NaN parts', { ...VALID, maxRangeParts: Number.NaN }, /maxRangeParts/],
    ['negative parts', { ...VALID, maxRangeParts: -1 }, /maxRangeParts/],
    ['empty cache-control', { ...VALID, defaultCacheControl: '' }, /defaultCacheControl/],
    ['cache-control with CR LF', { ...VALID, defaultCacheControl: 'public\r\nx: y' }, /defaultCacheControl/],
    ['origin with a space', { ...VALID, cors: { allowedOrigins: ['https://a.example b'] } }, /allowedOrigins/],
    ['empty origin', { ...VALID, cors: { allowedOrigins: [''] } }, /allowedOrigins/],
    ['credentials with *', { ...VALID, cors: { allowedOrigins: '*', allowCredentials: true } }, /allowCredentials/],
  ])('refuses %s, naming the field', (_name, policy, field) => {
    // Prepare / Act
    const act = (): void => assertHttpPolicy(policy);
    // Assess
    expect(act).toThrow(TypeError);
    expect(act).toThrow(field);
  });
});
