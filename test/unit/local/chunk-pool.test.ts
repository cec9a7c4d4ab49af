import { describe, expect, it } from '@jest/globals';
import { ChunkPool, POOLED_CHUNK_BYTES } from '../../../local/runtimes/emulated/chunk-pool.ts';

const WINDOW = 1024 * 1024;

describe('ChunkPool', () => {
  it('gives a pooled-size buffer for any chunk up to a socket read', () => {
    // Prepare
    const pool = new ChunkPool(WINDOW);

    // Act
    const sizes = [1, 1000, POOLED_CHUNK_BYTES].map((length) => pool.take(length).byteLength);

    // Assess
    expect(sizes).toEqual([POOLED_CHUNK_BYTES, POOLED_CHUNK_BYTES, POOLED_CHUNK_BYTES]);
  });

  it('reuses the buffers handed back, newest first, before allocating', () => {
    // Prepare
    const pool = new ChunkPool(WINDOW);
    const first = pool.take(10);
    const second = pool.take(10);

    // Act
    pool.give([first, second]);
    const reused = [pool.take(10), pool.take(POOLED_CHUNK_BYTES)];
    const fresh = pool.take(10);

    // Assess
    expect(reused).toEqual([second, first]);
    expect(reused[0]).toBe(second);
    expect(reused[1]).toBe(first);
    expect(fresh).not.toBe(first);
    expect(fresh).not.toBe(second);
    expect(pool.size).toBe(0);
  });

  it('gives a larger chunk a buffer of its own size and does not keep it', () => {
    // Prepare
    const pool = new ChunkPool(WINDOW);

    // Act
    const large = pool.take(POOLED_CHUNK_BYTES + 1);
    pool.give([large, new ArrayBuffer(100)]);

    // Assess
    expect(large.byteLength).toBe(POOLED_CHUNK_BYTES + 1);
    expect(pool.size).toBe(0);
  });

  it('keeps at most twice the flow window, leaving the rest to the GC', () => {
    // Prepare
    const pool = new ChunkPool(WINDOW);
    const cap = (2 * WINDOW) / POOLED_CHUNK_BYTES;
    const buffers = Array.from({ length: cap + 5 }, () => pool.take(1));

    // Act
    pool.give(buffers);

    // Assess
    expect(pool.size).toBe(cap);
  });

  it('does not keep a buffer that was transferred away meanwhile', () => {
    // Prepare
    const pool = new ChunkPool(WINDOW);
    const buffer = pool.take(1);
    structuredClone(buffer, { transfer: [buffer] }); // detaches it here

    // Act
    pool.give([buffer]);

    // Assess
    expect(buffer.detached).toBe(true);
    expect(pool.size).toBe(0);
  });
});
