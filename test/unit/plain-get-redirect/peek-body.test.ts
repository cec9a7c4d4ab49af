import { Readable } from 'node:stream';
import { peekBody } from '../../../lambda/plain-get-redirect/peek-body.ts';
import { collect } from '../../support/collect-stream.ts';
import { patternBytes, testBody } from '../../support/s3-body.ts';

describe('peekBody', () => {
  test('returns the first bytes and leaves every byte in the body, in order', async () => {
    // Prepare
    const bytes = patternBytes(1000, 7);
    const body = testBody(bytes, { chunkSize: 7 });

    // Act
    const head = await peekBody(body, 16, 1000);
    const rest = await collect(body);

    // Assess
    expect(head?.equals(bytes.subarray(0, 16))).toBe(true);
    expect(rest).toMatchObject({ ended: true, error: undefined });
    expect(rest.data.equals(bytes)).toBe(true);
  });

  test('a whole small object: all of it, and the body still ends after replaying it', async () => {
    // Prepare
    const bytes = patternBytes(793, 1);
    const body = testBody(bytes, { chunkSize: 100 });

    // Act
    const head = await peekBody(body, 793, 1000);
    const rest = await collect(body);

    // Assess
    expect(head?.equals(bytes)).toBe(true);
    expect(rest).toMatchObject({ ended: true, error: undefined });
    expect(rest.data.equals(bytes)).toBe(true);
  });

  test('a body consumed by a data listener afterwards gets every byte', async () => {
    // Prepare
    const bytes = patternBytes(300, 2);
    const body = testBody(bytes, { chunkSize: 64 });

    // Act
    await peekBody(body, 100, 1000);
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      body.on('data', (chunk: Buffer) => chunks.push(chunk));
      body.once('end', resolve);
      body.once('error', reject);
    });

    // Assess
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  test.each<[string, Parameters<typeof testBody>[1]]>([
    ['fails', { fault: 'error', after: 8 }],
    ['ends early', { fault: 'end', after: 8 }],
    ['goes silent', { fault: 'stall', after: 8 }],
  ])('undefined when the body %s before the bytes arrive', async (_name, options) => {
    // Prepare
    const body = testBody(patternBytes(100, 3), options);

    // Act
    const head = await peekBody(body, 50, 20);
    body.destroy();

    // Assess
    expect(head).toBeUndefined();
  });

  test('zero bytes asked: nothing read', async () => {
    // Prepare
    const body = Readable.from([Buffer.from('abc')]);

    // Act
    const head = await peekBody(body, 0, 1000);

    // Assess
    expect(head).toEqual(Buffer.alloc(0));
    expect((await collect(body)).data.toString()).toBe('abc');
  });
});
