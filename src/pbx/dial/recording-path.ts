import { join } from 'node:path';

/**
 * Where a call's recording goes: one folder per day, a file named by start time, caller,
 * callee and call id (what Asterisk's MixMonitor setups and Yeastar write), e.g.
 * `recordings/2026/11/26/20261126-141503-1001-1002-Xk3a9.wav`. UTC until the time zone setting
 * exists; numbers are reduced to safe file-name characters.
 */
export function recordingPath(dir: string, startedAtMs: number, caller: string, callee: string, callId: string): string {
  const d = new Date(startedAtMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  const y = String(d.getUTCFullYear());
  const m = two(d.getUTCMonth() + 1);
  const day = two(d.getUTCDate());
  const stamp = `${y}${m}${day}-${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
  const safe = (s: string): string => s.replace(/[^0-9A-Za-z+*#_-]/g, '_').slice(0, 40);
  return join(dir, y, m, day, `${stamp}-${safe(caller)}-${safe(callee)}-${safe(callId)}.wav`);
}
