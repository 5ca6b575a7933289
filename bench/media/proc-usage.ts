// A process's CPU and memory from /proc: utime+stime of all its threads (Atende's media
// workers are threads of the server process) in clock ticks, and VmRSS.
import { readFileSync } from 'node:fs';

/** USER_HZ on Linux (getconf CLK_TCK): 100 on every x86-64 kernel this runs on. */
export const TICKS_PER_SECOND = 100;

export function cpuTicks(pid: number): number {
  let stat: string;
  try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return Number.NaN; }
  // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export function rssBytes(pid: number): number {
  let status: string;
  try { status = readFileSync(`/proc/${pid}/status`, 'utf8'); } catch { return Number.NaN; }
  const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

export function threadCount(pid: number): number {
  try {
    const m = /^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : Number.NaN;
  } catch { return Number.NaN; }
}

/** The kernel's UDP counters (/proc/net/snmp): datagrams dropped for a full receive buffer, and all errors. */
export function udpDrops(): { rcvbufErrors: number; inErrors: number } {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  const get = (n: string) => Number(values[names.indexOf(n)] ?? Number.NaN);
  return { rcvbufErrors: get('RcvbufErrors'), inErrors: get('InErrors') };
}

/** Busy ticks of the whole machine (all cores), from the first line of /proc/stat. */
export function machineBusyTicks(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return user + nice + system + irq + softirq + steal;
}

/** CPU of a set of processes over an interval, in percent of one core. */
export class CpuMeter {
  private start: number[] = [];
  private startedAt = 0;
  private machineStart = 0;
  /** The whole machine over the last interval, percent of one core (set by end()). */
  machine = Number.NaN;

  constructor(private readonly pids: readonly number[]) {}

  begin(nowMs: number): void {
    this.start = this.pids.map(cpuTicks);
    this.machineStart = machineBusyTicks();
    this.startedAt = nowMs;
  }

  /** Percent of one core per pid, in the order given. */
  end(nowMs: number): number[] {
    const seconds = (nowMs - this.startedAt) / 1000;
    this.machine = ((machineBusyTicks() - this.machineStart) / TICKS_PER_SECOND / seconds) * 100;
    return this.pids.map((pid, i) => ((cpuTicks(pid) - this.start[i]!) / TICKS_PER_SECOND / seconds) * 100);
  }
}
