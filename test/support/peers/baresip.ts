// baresip 1.0.0 (Debian baresip-core) as a headless softphone: writes config/accounts into a
// directory, runs it, and drives it over ctrl_tcp (dial, hangup, events). No sound card: the
// source is a WAV (aufile) or a sine (ausine), the player a dead-end aubridge device, and the
// sndfile module records each call's audio under recordDir.
//
// TLS (baresip 1.0.0 with libre 1.1.0): baresip listens for TLS on sipPort+1. There is no
// `sip_verify_server` option in this version and libre accepts any server certificate, so a
// self-signed server certificate works as is; `sip_cafile` (here `caFile`) only adds a CA to
// the trust store (and `sip_certificate` sets a client certificate). Newer baresip versions
// verify by default and need `sip_verify_server no` or the CA in `sip_cafile`.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BaresipControl } from './baresip-control.js';
import type { BaresipEvent, BaresipResponse } from './baresip-control.js';
import { collectText, makePeerDir, spawnPeer } from './peer-process.js';
import type { PeerProcess } from './peer-process.js';
import { freePort, freePortRange } from './ports.js';

export type BaresipTransport = 'udp' | 'tcp' | 'tls';

export interface BaresipOptions {
  dir?: string;
  user: string;
  password: string;
  /** 'host:port' of the registrar (and outbound proxy). */
  registrar: string;
  /** Domain of the AOR; by default the registrar's address (sip:user@host:port). */
  domain?: string;
  transport?: BaresipTransport;
  /** UDP/TCP port; baresip also takes TLS on sipPort+1. Picked free by default. */
  sipPort?: number;
  /** 'first-last'; picked free by default (20 ports). */
  rtpPorts?: string;
  /** Path to a WAV file (aufile) or 'ausine,<freq>'. */
  audioSource?: string;
  autoAnswer?: boolean;
  /** Where the sndfile module writes <...>-enc.wav (sent) and <...>-dec.wav (received) per call. */
  recordDir?: string;
  /** Extra CA for TLS servers (sip_cafile). */
  caFile?: string;
  /** Registration interval in seconds; 0 = do not register. */
  regint?: number;
  extraConfig?: string[];
  /** Extra account parameters, e.g. 'mediaenc=srtp' (SDES-SRTP, needs `module srtp.so` in extraConfig). */
  accountParams?: string[];
  /** The address SIP and RTP use (default 127.0.0.1); an IPv6 one (e.g. '::1') runs baresip IPv6-only (-6). */
  listenAddress?: string;
}

export interface Baresip {
  readonly process: PeerProcess;
  readonly control: BaresipControl;
  readonly dir: string;
  readonly sipPort: number;
  readonly aor: string;
  readonly recordDir: string | undefined;
  /** SIP URI another phone dials to reach this one through the registrar. */
  readonly uri: string;
  dial(uri: string): Promise<BaresipResponse>;
  hangup(): Promise<BaresipResponse>;
  accept(): Promise<BaresipResponse>;
  command(command: string, params?: string): Promise<BaresipResponse>;
  waitForEvent(type: string, timeoutMs: number, match?: (e: BaresipEvent) => boolean): Promise<BaresipEvent>;
  /** WAV files written so far by the sndfile module. */
  recordings(): Promise<string[]>;
  log(): string;
  stop(): Promise<void>;
}

export function baresipConfig(o: {
  sipPort: number; rtpPorts: string; ctrlPort: number; audioSource: string; device: string;
  recordDir?: string; caFile?: string; extra?: string[]; listenAddress?: string;
}): string {
  const address = o.listenAddress ?? '127.0.0.1';
  const hostPort = address.includes(':') ? `[${address}]:${o.sipPort}` : `${address}:${o.sipPort}`;
  const audioSource = o.audioSource.startsWith('ausine,') ? o.audioSource : `aufile,${o.audioSource}`;
  const lines = [
    'poll_method epoll',
    `sip_listen ${hostPort}`,
    ...(o.caFile !== undefined ? [`sip_cafile ${o.caFile}`] : []),
    // Without this the SDP carries the host's first interface address.
    `net_interface ${address}`,
    `rtp_ports ${o.rtpPorts}`,
    'rtp_timeout 0',
    `audio_player aubridge,${o.device}`,
    `audio_alert aubridge,${o.device}-alert`,
    `audio_source ${audioSource}`,
    // ausine only produces 48 kHz stereo.
    'ausrc_srate 48000',
    'ausrc_channels 2',
    'audio_level no',
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aufile.so',
    'module ausine.so',
    'module aubridge.so',
    ...(o.recordDir !== undefined ? ['module sndfile.so', `snd_path ${o.recordDir}`] : []),
    'module_app account.so',
    'module_app contact.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${o.ctrlPort}`,
    ...(o.extra ?? []),
  ];
  return `${lines.join('\n')}\n`;
}

export function baresipAccount(o: {
  user: string; password: string; registrar: string; domain?: string; transport: BaresipTransport;
  autoAnswer: boolean; regint: number; extra?: string[];
}): string {
  const host = o.domain ?? o.registrar;
  const params = [`auth_user=${o.user}`, `auth_pass=${o.password}`, `regint=${o.regint}`];
  if (o.domain !== undefined) params.push(`outbound="sip:${o.registrar};transport=${o.transport}"`);
  if (o.autoAnswer) params.push('answermode=auto');
  params.push(...(o.extra ?? []));
  return `<sip:${o.user}@${host};transport=${o.transport}>;${params.join(';')}\n`;
}

export async function startBaresip(o: BaresipOptions): Promise<Baresip> {
  const dir = o.dir ?? (await makePeerDir('baresip'));
  await mkdir(dir, { recursive: true });
  // SIP on sipPort (UDP+TCP) and TLS on sipPort+1.
  const sipPort = o.sipPort ?? (await freePortRange(2));
  const rtpPorts = o.rtpPorts ?? (async () => { const b = await freePortRange(20); return `${b}-${b + 19}`; })();
  const ctrlPort = await freePort();
  if (o.recordDir !== undefined) await mkdir(o.recordDir, { recursive: true });
  const transport = o.transport ?? 'udp';
  await writeFile(join(dir, 'config'), baresipConfig({
    sipPort, rtpPorts: await rtpPorts, ctrlPort, audioSource: o.audioSource ?? 'ausine,440',
    device: `sink-${sipPort}`, ...(o.recordDir !== undefined ? { recordDir: o.recordDir } : {}),
    ...(o.caFile !== undefined ? { caFile: o.caFile } : {}), ...(o.extraConfig !== undefined ? { extra: o.extraConfig } : {}),
    ...(o.listenAddress !== undefined ? { listenAddress: o.listenAddress } : {}),
  }));
  const account = baresipAccount({
    user: o.user, password: o.password, registrar: o.registrar, transport,
    autoAnswer: o.autoAnswer ?? false, regint: o.regint ?? 600, ...(o.accountParams !== undefined ? { extra: o.accountParams } : {}),
    ...(o.domain !== undefined ? { domain: o.domain } : {}),
  });
  // The account is added over ctrl_tcp once connected ('uanew'), not from the accounts file:
  // baresip registers at once and REGISTER_OK would otherwise fire before anyone listens.
  await writeFile(join(dir, 'accounts'), '');
  await writeFile(join(dir, 'contacts'), '');

  const proc = spawnPeer('baresip', ['-f', dir, ...(o.listenAddress?.includes(':') === true ? ['-6'] : [])]);
  const output = collectText(proc.child?.stdout);
  const errors = collectText(proc.child?.stderr);
  let control: BaresipControl;
  try {
    control = await BaresipControl.connect(ctrlPort, 5000);
  } catch (err) {
    await proc.stop(500);
    throw new Error(`${String(err)}\n${output()}${errors()}`);
  }
  const added = await control.command('uanew', account.trim());
  if (!added.ok) {
    control.close();
    await proc.stop(500);
    throw new Error(`baresip uanew failed: ${added.data}\n${output()}`);
  }
  const host = o.domain ?? o.registrar;
  let stopping: Promise<void> | undefined;
  return {
    process: proc, control, dir, sipPort, recordDir: o.recordDir,
    aor: `sip:${o.user}@${host}`,
    uri: `sip:${o.user}@${host}`,
    dial: (uri) => control.command('dial', uri),
    hangup: () => control.command('hangup'),
    accept: () => control.command('accept'),
    command: (command, params) => control.command(command, params),
    waitForEvent: (type, timeoutMs, match) => control.waitForEvent(type, timeoutMs, 0, match),
    async recordings() {
      if (o.recordDir === undefined) return [];
      const files = await readdir(o.recordDir).catch(() => [] as string[]);
      return files.filter((f) => f.endsWith('.wav')).sort().map((f) => join(o.recordDir as string, f));
    },
    log: () => output() + errors(),
    stop() {
      stopping ??= (async () => {
        // 'quit' lets baresip un-REGISTER; it may linger waiting for the answer, so bound it.
        await control.command('quit', '', 500).catch(() => undefined);
        control.close();
        await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 1000))]);
        await proc.stop(500);
      })();
      return stopping;
    },
  };
}
