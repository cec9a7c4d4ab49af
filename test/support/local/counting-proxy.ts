/**
 * A plain TCP proxy that counts the bytes flowing from the upstream server to its clients. Put in front of the
 * S3 server, it shows how far the handler has read ahead: with backpressure intact, a viewer that stops reading
 * stops the S3 transfer after a bounded amount (socket buffers and stream high-water marks), whatever the size.
 */
import net from 'node:net';

export interface CountingProxy {
  readonly endpoint: string;
  /** Bytes sent by the upstream server so far, over all connections. */
  readonly downstreamBytes: number;
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  let downstreamBytes = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const server = net.connect({ host: target.hostname, port: Number(target.port) });
    sockets.add(client);
    sockets.add(server);
    server.on('data', (chunk: Buffer) => {
      downstreamBytes += chunk.length;
    });
    client.pipe(server);
    server.pipe(client);
    const close = (): void => {
      client.destroy();
      server.destroy();
      sockets.delete(client);
      sockets.delete(server);
    };
    client.on('error', close);
    server.on('error', close);
    client.on('close', close);
    server.on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get downstreamBytes() {
      return downstreamBytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
