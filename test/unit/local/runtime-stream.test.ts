import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from '@jest/globals';
import { installAwsLambdaGlobal, streamingMetadata } from '../../../local/runtimes/emulated/globals.ts';
import { HttpResponseStream } from '../../../local/runtimes/emulated/http-response-stream.ts';
import {
  type ResponseTransport,
  RuntimeResponseStream,
  toHandlerStream,
} from '../../../local/runtimes/emulated/response-stream.ts';
import { DELIMITER_LENGTH, INTEGRATION_CONTENT_TYPE } from '../../../local/runtimes/wire-format.ts';

/** Records what the runtime would send to the Runtime API; `hold` keeps write callbacks pending (backpressure). */
function recorder(hold = false) {
  const chunks: Buffer[] = [];
  const calls: string[] = [];
  const pending: Array<() => void> = [];
  const transport: ResponseTransport = {
    open: (contentType) => calls.push(`open ${contentType}`),
    write: (chunk, done) => {
      chunks.push(Buffer.from(chunk));
      if (hold) pending.push(() => done());
      else done();
    },
    end: () => calls.push('end'),
  };
  return { transport, chunks, calls, pending, bytes: () => Buffer.concat(chunks) };
}

function finished(stream: RuntimeResponseStream): Promise<void> {
  return new Promise((resolve) => stream.once('finish', () => resolve()));
}

describe('the local runtime response stream', () => {
  it('emits JSON prelude, 8 NUL bytes, then the body on the first write after from()', async () => {
    // Prepare
    const record = recorder();
    const inner = new RuntimeResponseStream(record.transport, undefined);
    const stream = HttpResponseStream.from(toHandlerStream(inner), { statusCode: 206, headers: { a: 'b' } });

    // Act
    stream.write('');
    stream.write(Buffer.from('body'));
    stream.end();
    await finished(inner);

    // Assess
    const prelude = JSON.stringify({ statusCode: 206, headers: { a: 'b' } });
    expect(record.calls).toEqual([`open ${INTEGRATION_CONTENT_TYPE}`, 'end']);
    expect(record.bytes()).toEqual(
      Buffer.concat([Buffer.from(prelude), Buffer.alloc(DELIMITER_LENGTH), Buffer.from('body')]),
    );
  });

  it('emits no prelude at all when from() is followed by end() without a write (the platform quirk)', async () => {
    // Prepare
    const record = recorder();
    const inner = new RuntimeResponseStream(record.transport, undefined);
    const stream = HttpResponseStream.from(toHandlerStream(inner), { statusCode: 404 });

    // Act
    stream.end();
    await finished(inner);

    // Assess
    expect(record.bytes().length).toBe(0);
    expect(record.calls).toEqual([`open ${INTEGRATION_CONTENT_TYPE}`, 'end']);
  });

  it('refuses setContentType after the first write, like the runtime', () => {
    // Prepare
    const inner = new RuntimeResponseStream(recorder().transport, undefined);
    inner.write('x');

    // Act
    const act = (): void => inner.setContentType('text/plain');

    // Assess
    expect(act).toThrow('Cannot set content-type, too late.');
  });

  it('JSON-stringifies chunks that are not strings or bytes', async () => {
    // Prepare
    const record = recorder();
    const inner = new RuntimeResponseStream(record.transport, undefined);

    // Act
    inner.write({ a: 1 });
    inner.end();
    await finished(inner);

    // Assess
    expect(record.bytes().toString()).toBe('{"a":1}');
  });

  it('works as a pipeline() destination through the facade the handler receives', async () => {
    // Prepare
    const record = recorder();
    const inner = new RuntimeResponseStream(record.transport, undefined);
    const facade = toHandlerStream(inner);

    // Act
    await pipeline(Readable.from([Buffer.from('a'), Buffer.from('b')]), facade as unknown as NodeJS.WritableStream);

    // Assess
    expect(record.bytes().toString()).toBe('ab');
    expect(facade.writableFinished).toBe(true);
  });

  it('exposes only the members the runtime exposes', () => {
    // Prepare
    const facade = toHandlerStream(new RuntimeResponseStream(recorder().transport, undefined)) as unknown as Record<
      string,
      unknown
    >;

    // Assess
    expect(typeof facade.write).toBe('function');
    expect(typeof facade.setContentType).toBe('function');
    expect(facade.pipe).toBeUndefined();
    expect(facade._write).toBeUndefined();
    expect(facade.writableNeedDrain).toBe(false);
  });

  it('applies backpressure: write() returns false above highWaterMark while the transport holds', () => {
    // Prepare
    const record = recorder(true);
    const inner = new RuntimeResponseStream(record.transport, 4);

    // Act
    const first = inner.write(Buffer.alloc(2));
    const second = inner.write(Buffer.alloc(4));

    // Assess
    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(record.chunks.length).toBe(1);
  });
});

describe('the awslambda global', () => {
  it('marks a handler as streaming without wrapping it and records highWaterMark', () => {
    // Prepare
    installAwsLambdaGlobal();
    const fn = async (): Promise<void> => undefined;

    // Act
    const marked = (
      globalThis as unknown as {
        awslambda: { streamifyResponse: (f: typeof fn, o?: { highWaterMark?: number }) => typeof fn };
      }
    ).awslambda.streamifyResponse(fn, { highWaterMark: 1024 });

    // Assess
    expect(marked).toBe(fn);
    expect(streamingMetadata(fn)).toEqual({ streaming: true, highWaterMark: 1024 });
    expect(streamingMetadata(async () => undefined)).toEqual({ streaming: false, highWaterMark: undefined });
  });
});
