// rtpengine (Debian package, 10.5) in userspace as the reference media relay: no kernel
// forwarding table (--table=-1), loopback only, its own RTP port range; Kamailio drives it over
// the ng protocol (bencode over UDP). Ready when it answers an ng "ping".
import { createSocket } from 'node:dgram';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { makePeerDir, spawnPeer, type PeerProcess } from '../../test/support/peers/peer-process.js';
import { freePort } from '../../test/support/peers/ports.js';

export interface RtpenginePeer {
  /** What Kamailio's rtpengine_sock takes: udp:127.0.0.1:PORT. */
  readonly ng: string;
  readonly pid: number;
  readonly process: PeerProcess;
  readonly dir: string;
  stop(): Promise<void>;
}

export interface RtpengineOptions {
  portMin: number;
  portMax: number;
  /** Worker threads (--num-threads); rtpengine's default is one per core. */
  threads?: number;
}

async function ping(port: number, timeoutMs: number): Promise<boolean> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  try {
    const pong = new Promise<boolean>((r) => sock.once('message', (m) => r(m.toString().includes('pong'))));
    sock.send('bench1 d7:command4:pinge', port, '127.0.0.1');
    return await Promise.race([pong, new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs))]);
  } finally {
    sock.close();
  }
}

export async function startRtpengine(o: RtpengineOptions): Promise<RtpenginePeer> {
  const dir = await makePeerDir('rtpengine');
  const port = await freePort();
  const args = [
    '--foreground', '--config-file=none', '--table=-1', '--interface=127.0.0.1',
    `--listen-ng=127.0.0.1:${port}`, `--port-min=${o.portMin}`, `--port-max=${o.portMax}`,
    '--log-stderr', '--log-level=4',
    ...(o.threads !== undefined ? [`--num-threads=${o.threads}`] : []),
  ];
  const proc = spawnPeer('rtpengine', args, { cwd: dir });
  proc.child?.stderr?.pipe(createWriteStream(join(dir, 'rtpengine.log')));
  proc.child?.stdout?.resume();
  for (let i = 0; i < 50; i++) {
    if (await ping(port, 100)) {
      return { ng: `udp:127.0.0.1:${port}`, pid: proc.pid, process: proc, dir, stop: () => proc.stop() };
    }
  }
  await proc.stop();
  throw new Error(`rtpengine did not answer ng ping on ${port} (log in ${dir})`);
}
