/**
 * A TCP proxy that cuts every connection after forwarding a fixed number of response bytes: a deterministic
 * "network dropped mid-download" for resume tests (killing a client on a timer would race loopback speed).
 */

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';

export interface CuttingProxy {
  /** Base URL through the proxy, e.g. http://127.0.0.1:41234/ (same paths as the target). */
  readonly url: string;
  close(): Promise<void>;
}

export async function startCuttingProxy(target: string, cutAfterBytes: number): Promise<CuttingProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({ host: hostname, port: Number(port) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => undefined); // a reset is the point of this proxy
    }
    client.pipe(upstream);
    let forwarded = 0;
    upstream.on('data', (chunk: Buffer) => {
      const room = cutAfterBytes - forwarded;
      if (room <= 0) return;
      const slice = chunk.subarray(0, room);
      forwarded += slice.length;
      client.write(slice);
      if (forwarded >= cutAfterBytes) {
        // Let the written bytes reach the client, then drop both sides without a clean HTTP end.
        client.end(() => client.destroy());
        upstream.destroy();
      }
    });
    upstream.once('end', () => client.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
