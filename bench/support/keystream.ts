/**
 * Benchmark objects are AES-128-CTR keystream: indistinguishable from random bytes (so no layer can compress
 * or dedupe them), generated as a stream (a 1 GiB object never sits in the bench process), and seekable —
 * the bytes at any offset can be recomputed — so every range any path serves can be checked against what was
 * stored without keeping a copy.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

const BLOCK = 16;

export interface Keystream {
  /** The `length` bytes of the object starting at `offset`. */
  bytesAt(offset: number, length: number): Buffer;
  /** A cursor reading consecutive bytes from `offset` on (one cipher for a whole response body). */
  readerAt(offset: number): (length: number) => Buffer;
  /** The whole `size`-byte object as a stream of `chunkSize` chunks (fresh buffers: consumers may keep them). */
  stream(size: number, chunkSize: number): Readable;
}

export function createKeystream(key: Buffer = randomBytes(16), nonce: Buffer = randomBytes(8)): Keystream {
  if (key.length !== 16 || nonce.length !== 8) {
    throw new RangeError(`keystream needs a 16-byte key and an 8-byte nonce, got ${key.length} and ${nonce.length}`);
  }
  const ivFor = (block: number): Buffer => {
    // IV = nonce (64 bits) || big-endian block counter (64 bits); 1 GiB is 2^26 blocks, far from wrapping.
    const iv = Buffer.alloc(16);
    nonce.copy(iv, 0);
    iv.writeBigUInt64BE(BigInt(block), 8);
    return iv;
  };
  const bytesAt = (offset: number, length: number): Buffer => {
    const firstBlock = Math.floor(offset / BLOCK);
    const skip = offset - firstBlock * BLOCK;
    const cipher = createCipheriv('aes-128-ctr', key, ivFor(firstBlock));
    const out = cipher.update(Buffer.alloc(skip + length));
    return out.subarray(skip);
  };
  const readerAt = (offset: number): ((length: number) => Buffer) => {
    const firstBlock = Math.floor(offset / BLOCK);
    const cipher = createCipheriv('aes-128-ctr', key, ivFor(firstBlock));
    cipher.update(Buffer.alloc(offset - firstBlock * BLOCK)); // advance to `offset` inside its block
    let zeros = Buffer.alloc(64 * 1024);
    return (length) => {
      if (zeros.length < length) zeros = Buffer.alloc(length);
      return cipher.update(zeros.subarray(0, length));
    };
  };
  const stream = (size: number, chunkSize: number): Readable => {
    if (chunkSize % BLOCK !== 0) throw new RangeError(`chunkSize must be a multiple of ${BLOCK}, got ${chunkSize}`);
    let offset = 0;
    const cipher = createCipheriv('aes-128-ctr', key, ivFor(0));
    return new Readable({
      highWaterMark: 1,
      objectMode: false,
      read() {
        if (offset >= size) {
          this.push(null);
          return;
        }
        const length = Math.min(chunkSize, size - offset);
        offset += length;
        this.push(cipher.update(Buffer.alloc(length)));
      },
    });
  };
  return { bytesAt, readerAt, stream };
}
