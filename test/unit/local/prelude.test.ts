import { describe, expect, it } from '@jest/globals';
import { PreludeParser } from '../../../local/function-url/prelude.ts';

const NULS = Buffer.alloc(8);

describe('PreludeParser', () => {
  it('parses a prelude fed one byte at a time and returns the body bytes after the delimiter', () => {
    // Prepare
    const wire = Buffer.concat([Buffer.from('{"statusCode":206}'), NULS, Buffer.from('BODY')]);
    const parser = new PreludeParser();
    const steps = [];

    // Act
    for (const byte of wire.subarray(0, wire.length - 4)) steps.push(parser.push(Buffer.from([byte])));

    // Assess
    const last = steps.at(-1);
    expect(steps.slice(0, -1).every((step) => step.kind === 'more')).toBe(true);
    expect(last).toEqual({ kind: 'prelude', prelude: { statusCode: 206 }, rest: Buffer.alloc(0) });
  });

  it('returns the rest of a chunk that carries prelude, delimiter and body together', () => {
    // Prepare
    const parser = new PreludeParser();

    // Act
    const step = parser.push(Buffer.concat([Buffer.from('{"headers":{"a":"b"}}'), NULS, Buffer.from([0, 1, 2])]));

    // Assess
    expect(step).toEqual({ kind: 'prelude', prelude: { headers: { a: 'b' } }, rest: Buffer.from([0, 1, 2]) });
  });

  it('rejects a delimiter that is not 8 NUL bytes', () => {
    // Prepare
    const parser = new PreludeParser();

    // Act
    const step = parser.push(Buffer.concat([Buffer.from('{}'), Buffer.alloc(4), Buffer.from('x'), Buffer.alloc(3)]));

    // Assess
    expect(step.kind).toBe('invalid');
  });

  it.each([
    ['not JSON', '{statusCode:200}'],
    ['an array', '[1,2]'],
    ['null', 'null'],
  ])('rejects a prelude that is %s', (_label, text) => {
    // Prepare
    const parser = new PreludeParser();

    // Act
    const step = parser.push(Buffer.concat([Buffer.from(text), NULS]));

    // Assess
    expect(step.kind).toBe('invalid');
  });

  it('gives up on a prelude larger than its bound instead of buffering without limit', () => {
    // Prepare
    const parser = new PreludeParser(16);

    // Act
    const first = parser.push(Buffer.from('{"headers":{"a"'));
    const second = parser.push(Buffer.from(':"bbbbbbbbbbbbbbbbbbbbbbbb"}}'));

    // Assess
    expect(first.kind).toBe('more');
    expect(second.kind).toBe('invalid');
  });

  it('reports how many bytes are pending without a complete prelude', () => {
    // Prepare
    const parser = new PreludeParser();

    // Act
    parser.push(Buffer.from('{"status'));

    // Assess
    expect(parser.pendingBytes).toBe(8);
  });
});
