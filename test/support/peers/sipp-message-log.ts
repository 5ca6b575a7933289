// SIPp's -trace_msg log carries a microsecond timestamp per message, unlike its response-time
// counters (1 ms clock that only advances between loop turns, so they come out in steps of ~4 ms).
// Used to measure INVITE -> 200 latency precisely.
import { readFile } from 'node:fs/promises';

export interface LoggedMessage {
  /** Milliseconds (with microsecond fraction) since the epoch, as SIPp wrote it (local time). */
  atMs: number;
  direction: 'sent' | 'received';
  firstLine: string;
  callId: string;
  cseq: string;
}

const HEADER = /^-{20,} (\d{4}-\d\d-\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})$/;

export function parseSippMessageLog(text: string): LoggedMessage[] {
  const out: LoggedMessage[] = [];
  const blocks = text.split(/\n(?=-{20,} \d{4}-)/);
  for (const block of blocks) {
    const lines = block.replace(/\r/g, '').split('\n');
    const m = HEADER.exec(lines[0]?.trim() ?? '');
    if (m === null) continue;
    const [, date = '', hh = '0', mm = '0', ss = '0', us = '0'] = m;
    const atMs = new Date(`${date}T${hh}:${mm}:${ss}`).getTime() + Number(us) / 1000;
    const direction = /message sent/.test(lines[1] ?? '') ? 'sent' : 'received';
    const firstLine = lines.find((l, i) => i > 1 && l.trim() !== '')?.trim() ?? '';
    const header = (name: RegExp) => lines.find((l) => name.test(l))?.replace(/^[^:]*:\s*/, '').trim() ?? '';
    out.push({ atMs, direction, firstLine, callId: header(/^(Call-ID|i):/i), cseq: header(/^CSeq:/i) });
  }
  return out;
}

/**
 * Per call, ms from the last INVITE sent (the authenticated one) to the 200 received for it.
 * Retransmissions are ignored: the first send of that CSeq counts.
 */
export function inviteTo200Latencies(messages: readonly LoggedMessage[]): number[] {
  const sentAt = new Map<string, number>();
  const done = new Set<string>();
  const out: number[] = [];
  for (const m of messages) {
    if (!/ INVITE$/.test(m.cseq)) continue;
    const key = `${m.callId}|${m.cseq}`;
    if (m.direction === 'sent' && m.firstLine.startsWith('INVITE ')) {
      if (!sentAt.has(key)) sentAt.set(key, m.atMs);
    } else if (m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200') && !done.has(key)) {
      const start = sentAt.get(key);
      if (start !== undefined) { out.push(m.atMs - start); done.add(key); }
    }
  }
  return out;
}

export async function inviteTo200LatenciesFromFile(path: string): Promise<number[]> {
  return inviteTo200Latencies(parseSippMessageLog(await readFile(path, 'utf8')));
}
