// Free loopback ports for peers that need fixed port numbers on their command line (SIPp, baresip,
// Kamailio cannot take port 0 and report back). A port counts as free when both UDP and TCP bind.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const HOST = '127.0.0.1';
// High range away from the kernel's ephemeral range (32768+) so a client socket cannot steal it.
const LOW = 20_000;
const HIGH = 32_000;
const taken = new Set<number>();

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => { s.close(); resolve(false); });
    s.bind(port, HOST, () => s.close(() => resolve(true)));
  });
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, HOST, () => s.close(() => resolve(true)));
  });
}

/** First port of `count` consecutive ports that are all free on UDP and TCP. */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    // Random start so parallel vitest workers rarely probe the same ports.
    const base = LOW + Math.floor(Math.random() * (HIGH - LOW - count));
    let ok = true;
    for (let p = base; p < base + count && ok; p++) {
      ok = !taken.has(p) && (await udpFree(p)) && (await tcpFree(p));
    }
    if (ok) {
      for (let p = base; p < base + count; p++) taken.add(p);
      return base;
    }
  }
  throw new Error(`no ${count} consecutive free ports on ${HOST}`);
}

export function freePort(): Promise<number> {
  return freePortRange(1);
}
