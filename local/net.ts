import { createServer } from 'node:net';

/** Small address helpers shared by the local servers and `npm start`'s environment parsing. */

/** `::1` -> `[::1]`: an IPv6 literal must be bracketed inside a URL (RFC 3986 section 3.2.2). */
export function formatHostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Parses a TCP port (0 = ephemeral); throws a RangeError naming `name` for anything else. */
export function parsePort(text: string, name: string): number {
  if (!/^\d{1,5}$/.test(text.trim())) {
    throw new RangeError(`${name} must be a TCP port number 0-65535, got "${text}"`);
  }
  const port = Number(text.trim());
  if (port > 65535) throw new RangeError(`${name} must be a TCP port number 0-65535, got "${text}"`);
  return port;
}

/** The TCP port a listening server actually got (resolves port 0). */
export function listeningPort(address: string | { readonly port: number } | null): number {
  if (address === null || typeof address === 'string') throw new Error('server is not listening on a TCP port');
  return address.port;
}

/** A TCP port free right now on `host` (for a server that must know its port before it starts). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const port = listeningPort(server.address());
      server.close(() => resolve(port));
    });
  });
}
