/**
 * The execution environment's chunk buffers. Every chunk the handler writes is copied into a buffer of the
 * environment's own and transferred to the Function URL's thread; once the viewer's socket has taken it, the URL
 * transfers the buffer back (`recycle`) and the next chunk is copied into it. Without the round trip each chunk
 * is a new ArrayBuffer that becomes garbage on the URL's thread, where little else allocates, so only full
 * mark-compacts driven by external memory free them and a long response piles them up: this keeps the local
 * stack's memory bounded while it streams a large object (test/integration/large-object.test.ts).
 *
 * Buffers are one size (a socket read's 64 KiB: what S3's body arrives in); a larger chunk gets a buffer of its
 * own that is not kept. The pool keeps at most `maxPooled` buffers (the flow window's worth and as much again),
 * so idle environments do not hold on to memory a burst of concurrent responses needed.
 */

export const POOLED_CHUNK_BYTES = 64 * 1024;

export class ChunkPool {
  readonly #free: ArrayBuffer[] = [];
  readonly #maxPooled: number;

  constructor(flowWindowBytes: number) {
    this.#maxPooled = 2 * Math.ceil(flowWindowBytes / POOLED_CHUNK_BYTES);
  }

  /** A buffer of at least `length` bytes (its contents are garbage: overwrite before use). */
  take(length: number): ArrayBuffer {
    if (length <= POOLED_CHUNK_BYTES) {
      const reused = this.#free.pop();
      if (reused !== undefined) return reused;
      // allocUnsafeSlow: an ArrayBuffer of exactly this size, outside Node's pool, not zero-filled.
      return Buffer.allocUnsafeSlow(POOLED_CHUNK_BYTES).buffer as ArrayBuffer;
    }
    return Buffer.allocUnsafeSlow(length).buffer as ArrayBuffer;
  }

  /** Buffers handed back; the ones of the pooled size are kept (up to the cap), the rest left to the GC. */
  give(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      if (this.#free.length >= this.#maxPooled) return;
      if (buffer.byteLength === POOLED_CHUNK_BYTES && !buffer.detached) this.#free.push(buffer);
    }
  }

  /** Buffers ready for reuse. */
  get size(): number {
    return this.#free.length;
  }
}
