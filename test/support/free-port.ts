/**
 * A port free for both UDP and TCP on loopback, for peers (the `sip` package) that cannot bind port
 * 0 themselves: it turns 0 into 5060. Bound and released at once, so another process could take it
 * in between; on a test machine's loopback that is rare enough.
 */
import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo } from 'node:net';

export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const port = (server.address() as AddressInfo).port;
    const udp = createSocket('udp4');
    const free = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, host, () => resolve(true));
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (free) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      return port;
    }
  }
}
