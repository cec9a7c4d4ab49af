/**
 * Keeps `pipeline()` from destroying the runtime's response stream. On Lambda that stream is an
 * http.ClientRequest to the Runtime API; destroying it (with or without an error) rejects a promise the runtime
 * never awaits (`headersDone`, runtime interface client src/stream/response-stream.ts) and the runtime exits
 * the process on the unhandled rejection (exit 128). So the handler pipes into this guard instead: bytes and
 * backpressure pass through, end() passes through, but destroy() does not. A failed body then rejects the
 * handler's promise, and the runtime ends the stream itself with error trailers (visibly incomplete).
 * If the real stream closes first (locally: the viewer went away), the guard fails so pipeline() releases the
 * S3 body.
 *
 * The real stream can close before anything is piped into the guard: middy pipes only once S3 answered, and
 * locally the Function URL destroys the stream the moment the viewer leaves. The guard must then neither emit an
 * 'error' nobody listens to (an uncaught exception ends the whole execution environment, failing every
 * invocation in it: a viewer leaving before the head turned the next viewer's request into a 502), nor be
 * destroyed already when pipeline() starts (Node's pipeline() refuses a destroyed destination WITHOUT destroying
 * its source, which would leave the S3 body holding its socket). So it fails at the first byte it cannot
 * deliver, or at once if the close comes while a source is piped into it.
 */
import { Writable } from 'node:stream';

export interface RuntimeResponseStream {
  write(chunk: Uint8Array): boolean;
  end(callback?: () => void): unknown;
  on(event: 'drain' | 'close' | 'error', listener: (...args: unknown[]) => void): unknown;
  off(event: 'drain' | 'close' | 'error', listener: (...args: unknown[]) => void): unknown;
  readonly destroyed: boolean;
  readonly writableFinished: boolean;
  setContentType(contentType: string): void;
  _onBeforeFirstWrite?: unknown;
}

const ignore = (): void => {};

export function guardResponseStream(target: RuntimeResponseStream): Writable {
  const closedEarly = (): Error => new Error('the response stream closed before the body ended');
  const guard = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (target.destroyed) {
        // Zero bytes (middy's write("") after HttpResponseStream.from) lose nothing: stay usable for pipeline().
        callback(chunk.byteLength === 0 ? null : closedEarly());
        return;
      }
      if (target.write(chunk)) {
        callback();
        return;
      }
      const done = (error?: Error): void => {
        target.off('drain', onDrain);
        target.off('close', onClose);
        callback(error);
      };
      const onDrain = (): void => done();
      const onClose = (): void => done(closedEarly());
      target.on('drain', onDrain);
      target.on('close', onClose);
    },
    final(callback) {
      target.end(() => callback());
    },
    destroy(error, callback) {
      target.off('close', onTargetClose);
      callback(error);
    },
  });
  let piped = 0;
  guard.on('pipe', () => {
    piped += 1;
    // Closed before the source arrived: fail now that pipeline() listens and will release the source.
    if (target.destroyed && !target.writableFinished) process.nextTick(onTargetClose);
  });
  guard.on('unpipe', () => {
    piped -= 1;
  });
  const onTargetClose = (): void => {
    if (piped > 0 && !target.writableFinished && !guard.destroyed) guard.destroy(closedEarly());
  };
  target.on('close', onTargetClose);
  target.on('error', ignore);
  // Every error of the guard also reaches its writer (write callback, pipeline(), middy's end()); this listener
  // only keeps one raised between two writers from being an uncaught exception (see above).
  guard.on('error', ignore);
  Object.defineProperty(guard, '_onBeforeFirstWrite', {
    get: () => target._onBeforeFirstWrite,
    set: (value: unknown) => {
      target._onBeforeFirstWrite = value;
    },
  });
  return Object.assign(guard, { setContentType: (contentType: string) => target.setContentType(contentType) });
}
