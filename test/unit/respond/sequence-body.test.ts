import { Readable } from 'node:stream';
import { beforeEach, describe, expect, test } from '@jest/globals';
import { SequenceBody } from '../../../lambda/respond/sequence-body.ts';
import { collect } from '../../support/collect-stream.ts';
import { created, resetBodies, testBody } from '../../support/s3-body.ts';

beforeEach(() => resetBodies());

describe('SequenceBody', () => {
  test('emits fixed strings and bodies strictly in order', async () => {
    // Prepare
    const sequence = new SequenceBody([
      Buffer.from('<head1>'),
      testBody(Buffer.from('part-one')),
      Buffer.from('<head2>'),
      () => testBody(Buffer.from('part-two')),
      Buffer.from('<tail>'),
    ]);

    // Act
    const result = await collect(sequence);

    // Assess
    expect(result.data.toString()).toBe('<head1>part-one<head2>part-two<tail>');
    expect(result.ended).toBe(true);
  });

  test('a body given as a factory is created only when its turn comes, one at a time', async () => {
    // Prepare
    const order: string[] = [];
    const part = (name: string) => () => {
      order.push(`open ${name}`);
      const body = testBody(Buffer.from(name));
      body.once('end', () => order.push(`end ${name}`));
      return body;
    };
    const sequence = new SequenceBody([part('a'), Buffer.from('|'), part('b'), Buffer.from('|'), part('c')]);

    // Act
    await new Promise((resolve) => setImmediate(resolve));
    const openedBeforeRead = [...order];
    const result = await collect(sequence);

    // Assess
    expect(openedBeforeRead).toEqual([]);
    expect(result.data.toString()).toBe('a|b|c');
    expect(order).toEqual(['open a', 'end a', 'open b', 'end b', 'open c', 'end c']);
  });

  test('a failing body destroys the sequence with its error: no later part is sent or opened', async () => {
    // Prepare
    const failure = new Error('part failed for good');
    let laterOpened = false;
    const sequence = new SequenceBody([
      Buffer.from('<h1>'),
      testBody(Buffer.from('0123456789'), { fault: 'error', after: 4, error: failure }),
      Buffer.from('<h2>'),
      () => {
        laterOpened = true;
        return testBody(Buffer.from('later'));
      },
    ]);

    // Act
    const result = await collect(sequence);

    // Assess
    expect(result.ended).toBe(false);
    expect(result.error).toBe(failure);
    expect(result.data.toString()).toBe('<h1>0123');
    expect(laterOpened).toBe(false);
  });

  test('a body closed without end or error (destroyed elsewhere) fails the sequence instead of hanging', async () => {
    // Prepare
    const part = testBody(Buffer.from('0123456789'), { fault: 'stall', after: 4 });
    const sequence = new SequenceBody([part, Buffer.from('<tail>')]);
    sequence.once('data', () => part.destroy());

    // Act
    const result = await collect(sequence);

    // Assess
    expect(result.ended).toBe(false);
    expect(result.error?.message).toMatch(/closed before its end/);
  });

  test('destroying the sequence destroys the current body and every body not yet started', async () => {
    // Prepare
    const current = testBody(Buffer.from('0123456789'), { fault: 'stall', after: 2 });
    const waiting = testBody(Buffer.from('never'));
    let factoryCalled = false;
    const sequence = new SequenceBody([
      current,
      waiting,
      () => {
        factoryCalled = true;
        return testBody(Buffer.from('x'));
      },
    ]);
    await new Promise((resolve) => sequence.once('data', resolve));

    // Act
    sequence.destroy();
    await new Promise((resolve) => sequence.once('close', resolve));

    // Assess
    expect(current.destroyed).toBe(true);
    expect(waiting.destroyed).toBe(true);
    expect(factoryCalled).toBe(false);
    expect(created).toHaveLength(2);
  });

  test('passes backpressure through: a large body arrives complete through a slow consumer', async () => {
    // Prepare
    const bytes = Buffer.alloc(300 * 1024, 7);
    const sequence = new SequenceBody([
      Buffer.from('A'),
      Readable.from([bytes.subarray(0, 150 * 1024), bytes.subarray(150 * 1024)]),
      Buffer.from('Z'),
    ]);

    // Act
    const chunks: Buffer[] = [];
    for await (const chunk of sequence as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }

    // Assess
    expect(Buffer.concat(chunks).equals(Buffer.concat([Buffer.from('A'), bytes, Buffer.from('Z')]))).toBe(true);
  });
});
