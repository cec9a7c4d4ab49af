import fc from 'fast-check';
import { decodeCloudFrontBase64, encodeCloudFrontBase64 } from '../../../lambda/signed-requests/cloudfront-base64.ts';

describe('CloudFront base64', () => {
  test('uses - _ ~ for + = /', () => {
    // Prepare: bytes whose standard base64 is "+/8=" -> "-~8_"
    const bytes = Buffer.from([0xfb, 0xff]);
    // Act
    const encoded = encodeCloudFrontBase64(bytes);
    // Assess
    expect(Buffer.from(bytes).toString('base64')).toBe('+/8=');
    expect(encoded).toBe('-~8_');
    expect(decodeCloudFrontBase64(encoded)).toEqual(Buffer.from(bytes));
  });

  test('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
        expect(decodeCloudFrontBase64(encodeCloudFrontBase64(bytes))).toEqual(Buffer.from(bytes));
      }),
    );
  });

  test.each([
    ['empty', ''],
    ['standard alphabet +', 'ab+d'],
    ['standard alphabet /', 'ab/d'],
    ['standard padding', 'YQ=='],
    ['wrong length', 'YWJ'],
    ['padding in the middle', 'Y_Fi'],
    ['space', 'YW J'],
    ['non-canonical trailing bits', 'YR__'],
    ['percent-encoded', 'YQ%3D'],
  ])('refuses %s', (_name, text) => {
    // Act / Assess
    expect(decodeCloudFrontBase64(text)).toBeUndefined();
  });
});
