/**
 * When the local Function URL lets go of a chunk (ViewerResponse `release`): the execution environment
 * reuses a released chunk's memory for the next one, so a release while the socket still holds the bytes would
 * send the wrong ones. Driven over a real loopback connection whose reader can be held back.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ViewerResponse } from '../../../local/function-url/viewer-response.ts';
import { DELIMITER_LENGTH, INTEGRATION_CONTENT_TYPE } from '../../../local/runtimes/wire-format.ts';
import { patternBytes } from '../../support/local/pattern.ts';

const MiB = 1024 * 1024;

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  if (server !== undefined) await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

interface Exchange {
  readonly viewer: ViewerResponse;
  /** Reads the viewer's whole body; nothing is read from the socket before this is called. */
  read(): Promise<Buffer>;
}

/** A loopback exchange: the server side's ViewerResponse and the client's response, unread so far. */
async function exchange(): Promise<Exchange> {
  const viewers: ViewerResponse[] = [];
  server = createServer((_req, res) => {
    viewers.push(
      new ViewerResponse({
        res,
        url: { requestId: 'request-1', traceId: 'Root=1-00000000-000000000000000000000000' },
        maxPayloadBytes: 256 * MiB,
        abortInvocation: () => undefined,
        log: () => undefined,
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const req = request({ host: '127.0.0.1', port, path: '/', agent: false });
  // Only the head: the body stays in the socket (and then the kernel) until read() consumes it.
  const response = once(req, 'response') as Promise<[IncomingMessage]>;
  req.end();
  // The head goes out with the first data; until then the client waits, so hand the viewer over first.
  while (viewers.length === 0) await new Promise((resolve) => setImmediate(resolve));
  const viewer = viewers[0] as ViewerResponse;
  return {
    viewer,
    read: async () => {
      const [res] = await response;
      const parts: Buffer[] = [];
      for await (const part of res) parts.push(part as Buffer);
      return Buffer.concat(parts);
    },
  };
}

describe('ViewerResponse release', () => {
  it('releases a body chunk only after the socket has taken it, never while the viewer is not reading', async () => {
    // Prepare: far more than loopback's socket buffers hold, so the write must wait for the reader.
    const { viewer, read } = await exchange();
    const chunk = patternBytes(0, 32 * MiB);
    let released = 0;
    viewer.open('application/octet-stream');

    // Act
    viewer.data(
      chunk,
      () => undefined,
      () => (released += 1),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const releasedWhileUnread = released;
    const reading = read();
    await new Promise((resolve) => setImmediate(resolve));
    viewer.end();
    const body = await reading;

    // Assess
    expect(releasedWhileUnread).toBe(0);
    expect(released).toBe(1);
    expect(body.equals(patternBytes(0, 32 * MiB))).toBe(true);
  });

  it('releases a chunk with the prelude at once: the parser copied what it keeps', async () => {
    // Prepare
    const { viewer, read } = await exchange();
    const prelude = Buffer.from(JSON.stringify({ statusCode: 206, headers: { 'content-type': 'video/mp4' } }));
    const body = patternBytes(0, 1000);
    const chunk = new Uint8Array(Buffer.concat([prelude, Buffer.alloc(DELIMITER_LENGTH), body]));
    let released = 0;
    viewer.open(INTEGRATION_CONTENT_TYPE);

    // Act
    viewer.data(
      chunk,
      () => undefined,
      () => (released += 1),
    );
    const releasedAtOnce = released;
    chunk.fill(0xee); // what the environment would do with a released buffer
    viewer.end();
    const received = await read();

    // Assess
    expect(releasedAtOnce).toBe(1);
    expect(received.equals(patternBytes(0, 1000))).toBe(true);
  });

  it('acks and releases at once what arrives after the response is over', async () => {
    // Prepare
    const { viewer, read } = await exchange();
    viewer.open('application/octet-stream');
    viewer.data(
      patternBytes(0, 10),
      () => undefined,
      () => undefined,
    );
    viewer.end();
    await read();
    let acked = 0;
    let released = 0;

    // Act
    viewer.data(
      patternBytes(10, 10),
      () => (acked += 1),
      () => (released += 1),
    );

    // Assess
    expect(viewer.settled).toBe(true);
    expect([acked, released]).toEqual([1, 1]);
  });
});
