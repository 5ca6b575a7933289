// tcpdump on the loopback interface, for the benchmarks that measure on the wire: the kernel
// stamps each packet as it is sent (nanoseconds), so the stamps are free of any receiver's
// scheduling. Writes a little-endian nanosecond pcap; `stop` returns its bytes.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

export interface LoopbackCapture {
  /** Stops tcpdump: the pcap's bytes and how many packets the kernel dropped before tcpdump read them. */
  stop(): Promise<{ pcap: Buffer; drops: number }>;
}

/** Starts tcpdump on lo with a BPF filter; resolves once it listens. */
export async function startLoopbackCapture(file: string, filter: string, snapLength: number): Promise<LoopbackCapture> {
  const args = ['-i', 'lo', '-n', '-s', String(snapLength), '-B', '65536', '--time-stamp-precision=nano', '-w', file, filter];
  const child: ChildProcess = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // tcpdump says "listening on lo" once its socket is open.
  const deadline = Date.now() + 5000;
  while (!stderr.includes('listening on') && Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tcpdump failed: ${stderr.trim()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!stderr.includes('listening on')) {
    child.kill('SIGKILL');
    throw new Error(`tcpdump did not start: ${stderr.trim()}`);
  }
  return {
    async stop() {
      child.kill('SIGINT');
      await exited;
      const drops = /(\d+) packets dropped by kernel/.exec(stderr);
      const pcap = await readFile(file);
      // ATENDE_BENCH_KEEP_PCAP=1 leaves the capture for a closer look (stalls, per-stream timing).
      if (process.env['ATENDE_BENCH_KEEP_PCAP'] === '1') {
        const kept = join(tmpdir(), `wire-${basename(dirname(file))}-${basename(file)}`);
        await copyFile(file, kept);
        console.log(`  (capture kept in ${kept})`);
      }
      await rm(file, { force: true });
      return { pcap, drops: drops ? Number(drops[1]) : Number.NaN };
    },
  };
}
