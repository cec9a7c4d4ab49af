/**
 * The execution environment's recycled chunk buffers (local/runtimes/emulated/chunk-pool.ts), driven through the
 * runtime seam itself: a response streamed into buffers that earlier responses released must still carry exactly
 * the handler's bytes, and a sink that releases a chunk twice (a bug on the URL's side) must not take the
 * environment or the URL's thread down.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ExecutionEnvironment } from '../../local/runtimes/emulated/environment.ts';
import type { FunctionErrorData, InvocationSink } from '../../local/runtimes/runtime.ts';
import { functionUrlEvent } from '../support/function-url-event.ts';
import { patternBytes } from '../support/local/pattern.ts';

const FIXTURE = new URL('../support/local/fixture-handler.ts', import.meta.url);
const MiB = 1024 * 1024;

let environment: ExecutionEnvironment;

beforeAll(async () => {
  environment = await ExecutionEnvironment.start({
    handlerModule: FIXTURE,
    handlerExport: 'handler',
    env: {},
    functionName: 'chunk-recycling-test',
    memoryLimitInMB: 1024,
    flowWindowBytes: MiB,
  });
});

afterAll(async () => {
  await environment?.close();
});

interface Received {
  /** The body after the prelude: copies of every chunk, taken before it was released. */
  readonly bytes: Buffer;
  readonly failure: FunctionErrorData | undefined;
}

/** Invokes `/bytes?n=` and copies each chunk before releasing it `releases` times. */
function stream(n: number, releases: number): Promise<Received> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let failure: FunctionErrorData | undefined;
    let ended = false;
    let resolved = false;
    const finish = (): void => {
      if (ended && resolved) resolve({ bytes: afterPrelude(Buffer.concat(parts)), failure });
    };
    const sink: InvocationSink = {
      open: () => undefined,
      data: (chunk, ack, release) => {
        parts.push(Buffer.from(chunk)); // a copy: the buffer is reused once released
        ack();
        for (let i = 0; i < releases; i += 1) release();
      },
      end: () => {
        ended = true;
        finish();
      },
      fail: (error) => {
        failure = error;
        ended = true;
        resolved = true;
        finish();
      },
      resolved: () => {
        resolved = true;
        finish();
      },
    };
    const event = functionUrlEvent({ path: '/bytes', query: { n: String(n) } });
    environment.invoke(event, { awsRequestId: `recycle-${n}-${releases}`, deadlineMs: Date.now() + 60_000 }, sink);
  });
}

/** The integration stream's body: what follows the JSON prelude and its 8 NUL bytes. */
function afterPrelude(stream: Buffer): Buffer {
  const delimiter = stream.indexOf(Buffer.alloc(8));
  return stream.subarray(delimiter + 8);
}

describe('recycled chunk buffers', () => {
  it('carry exactly the handler bytes, response after response', async () => {
    // Act: the later responses stream into buffers the earlier ones released
    const sizes = [8 * MiB, 8 * MiB + 123, 3 * MiB + 7];
    const results: Received[] = [];
    for (const size of sizes) results.push(await stream(size, 1));

    // Assess
    for (const [index, size] of sizes.entries()) {
      expect(results[index]?.failure).toBeUndefined();
      expect(results[index]?.bytes.length).toBe(size);
      expect(results[index]?.bytes.equals(patternBytes(0, size))).toBe(true);
    }
  });

  it('survive a sink that releases each chunk twice', async () => {
    // Act
    const twice = await stream(2 * MiB, 2);
    const next = await stream(2 * MiB, 1);

    // Assess
    expect(twice.failure).toBeUndefined();
    expect(twice.bytes.equals(patternBytes(0, 2 * MiB))).toBe(true);
    expect(next.failure).toBeUndefined();
    expect(next.bytes.equals(patternBytes(0, 2 * MiB))).toBe(true);
  });
});
