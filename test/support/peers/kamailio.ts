// Kamailio as a reference peer: an authenticating registrar and proxy (realm atende.local, users
// 1001..1000+N with password pw-<user>), started from the project's own copy in bench/peers/kamailio.
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { adoptPid, makePeerDir } from './peer-process.js';
import type { PeerProcess } from './peer-process.js';
import { freePort } from './ports.js';

const run = promisify(execFile);
const RUN_SH = resolve(fileURLToPath(import.meta.url), '../../../../bench/peers/kamailio/run.sh');

export const KAMAILIO_DOMAIN = 'atende.local';

export interface KamailioOptions {
  /** Users 1001..1000+users. */
  users: number;
  port?: number;
  dir?: string;
  /** ng address of an rtpengine (udp:127.0.0.1:22222) to relay media through. */
  rtpengine?: string;
}

export interface KamailioPeer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** 'host:port', what runSipp and startBaresip take as target/registrar. */
  readonly target: string;
  readonly dir: string;
  readonly process: PeerProcess;
  stop(): Promise<void>;
}

/** Sends SIP OPTIONS until Kamailio answers 200 (its config answers OPTIONS to itself). */
export async function waitForSipOptions(host: string, port: number, timeoutMs = 5000): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const local = sock.address().port;
  const deadline = Date.now() + timeoutMs;
  try {
    const answered = new Promise<void>((r) => sock.on('message', (m) => { if (/^SIP\/2\.0 200/.test(m.toString())) r(); }));
    for (let n = 1; Date.now() < deadline; n++) {
      const msg = [
        `OPTIONS sip:${host}:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-probe-${n};rport`,
        'Max-Forwards: 70',
        `From: <sip:probe@127.0.0.1>;tag=probe${n}`,
        `To: <sip:${host}:${port}>`,
        `Call-ID: probe-${local}-${n}`,
        `CSeq: ${n} OPTIONS`,
        'Content-Length: 0', '', '',
      ].join('\r\n');
      sock.send(msg, port, host);
      const ok = await Promise.race([answered.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 200))]);
      if (ok) return;
    }
    throw new Error(`no answer to OPTIONS from ${host}:${port} in ${timeoutMs} ms`);
  } finally {
    sock.close();
  }
}

export async function startKamailio(options: KamailioOptions): Promise<KamailioPeer> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? (await makePeerDir('kamailio'));
  const args = [dir, String(port), String(options.users)];
  if (options.rtpengine !== undefined) args.push(options.rtpengine);
  const { stdout } = await run(RUN_SH, args, { timeout: 15_000 });
  const pid = Number.parseInt(stdout.trim(), 10);
  if (!Number.isInteger(pid)) throw new Error(`kamailio did not start (see ${dir}/kamailio.log): ${stdout}`);
  const proc = adoptPid(pid);
  try {
    await waitForSipOptions('127.0.0.1', port);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { host: '127.0.0.1', port, target: `127.0.0.1:${port}`, dir, process: proc, stop: () => proc.stop() };
}
