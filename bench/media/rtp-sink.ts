// Handle on the RTP sink process (rtp-sink-process.ts): its port (what the callee's SDP points
// at), its pid (for its CPU), and the measuring window.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WindowReport } from './rtp-window-stats.js';

export type SinkCommand =
  | { type: 'begin' }
  | { type: 'end' }
  | { type: 'status'; activeMs: number }
  | { type: 'close' };

export type SinkReply =
  | { type: 'ready'; port: number; recvBuffer: number }
  | { type: 'ok' }
  | { type: 'report'; report: WindowReport }
  | { type: 'status'; streams: number; active: number };

export interface RtpSink {
  readonly port: number;
  readonly pid: number;
  /** Receive buffer the kernel granted (capped by net.core.rmem_max; Linux reports twice the request). */
  readonly recvBuffer: number;
  /** Forget everything received so far: the window starts now. */
  begin(): Promise<void>;
  /** Statistics of the window since begin(). */
  end(): Promise<WindowReport>;
  /** Streams seen since begin() and how many of them sent within the last `activeMs`. */
  status(activeMs: number): Promise<{ streams: number; active: number }>;
  close(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./rtp-sink-process.ts', import.meta.url));

export async function startRtpSink(): Promise<RtpSink> {
  const child: ChildProcess = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // One command at a time: replies come back in order.
  const waiting: ((r: SinkReply) => void)[] = [];
  child.on('message', (r: SinkReply) => waiting.shift()?.(r));
  const next = () => new Promise<SinkReply>((resolve) => waiting.push(resolve));
  const ask = (cmd: SinkCommand) => {
    const r = next();
    child.send(cmd);
    return r;
  };
  const ready = await next();
  if (ready.type !== 'ready') throw new Error('rtp sink did not start');
  let closed: Promise<void> | undefined;
  return {
    port: ready.port,
    pid: child.pid!,
    recvBuffer: ready.recvBuffer,
    async begin() { await ask({ type: 'begin' }); },
    async end() {
      const r = await ask({ type: 'end' });
      if (r.type !== 'report') throw new Error(`rtp sink: unexpected ${r.type}`);
      return r.report;
    },
    async status(activeMs) {
      const r = await ask({ type: 'status', activeMs });
      if (r.type !== 'status') throw new Error(`rtp sink: unexpected ${r.type}`);
      return { streams: r.streams, active: r.active };
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) { resolve(); return; }
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      });
      return closed;
    },
  };
}
