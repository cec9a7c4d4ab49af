/**
 * Keeps `pipeline()` from destroying the runtime's response stream. On Lambda that stream is an
 * http.ClientRequest to the Runtime API; destroying it (with or without an error) rejects a promise the runtime
 * never awaits (`headersDone`, runtime interface client src/stream/response-stream.ts) and the runtime exits
 * the process on the unhandled rejection (exit 128). So the handler pipes into this guard instead: bytes and
 * backpressure pass through, end() passes through, but destroy() does not. A failed body then rejects the
 * handler's promise, and the runtime ends the stream itself with error trailers (visibly incomplete).
 * If the real stream closes first (locally: the viewer went away), the guard fails so pipeline() releases the
 * S3 body.
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
        callback(closedEarly());
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
  const onTargetClose = (): void => {
    if (!target.writableFinished && !guard.destroyed) guard.destroy(closedEarly());
  };
  target.on('close', onTargetClose);
  target.on('error', ignore);
  Object.defineProperty(guard, '_onBeforeFirstWrite', {
    get: () => target._onBeforeFirstWrite,
    set: (value: unknown) => {
      target._onBeforeFirstWrite = value;
    },
  });
  return Object.assign(guard, { setContentType: (contentType: string) => target.setContentType(contentType) });
}
