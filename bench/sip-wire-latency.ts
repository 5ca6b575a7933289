// INVITE->200 latency on the wire: tcpdump on the loopback interface stamps each datagram in the
// kernel as it is sent, so the time from the caller's authenticated INVITE reaching the server's
// port to the server's 200 for it leaving that port leaves out when SIPp got round to reading
// the 200 (SIPp shares the two cores with the server). The callee's answer time is still in it:
// the server waits for the callee's 200 before it answers.
import { startLoopbackCapture } from './loopback-capture.js';

export interface SipWireCapture {
  /** Stops the capture: the latencies in ms, one per call whose INVITE and 200 were both seen. */
  stop(): Promise<{ latenciesMs: number[]; captureDrops: number }>;
}

const PCAP_NANO_MAGIC = 0xa1b23c4d;

export async function startSipWireCapture(port: number, file: string): Promise<SipWireCapture> {
  const capture = await startLoopbackCapture(file, `udp and port ${port}`, 0);
  return {
    async stop() {
      const { pcap, drops } = await capture.stop();
      return { latenciesMs: inviteTo200OnTheWire(pcap, port), captureDrops: drops };
    },
  };
}

function header(text: string, name: RegExp): string | undefined {
  const m = name.exec(text);
  return m?.[1]?.trim();
}

/**
 * From a nanosecond pcap of the server's port: for each Call-ID, the first authenticated INVITE
 * that arrived and the first 200 to an INVITE that left. Only the caller's dialog matches both
 * ways (the callee's INVITE leaves the port, its 200 arrives).
 */
export function inviteTo200OnTheWire(pcap: Buffer, port: number): number[] {
  if (pcap.length < 24 || pcap.readUInt32LE(0) !== PCAP_NANO_MAGIC) throw new Error('not a little-endian nanosecond pcap');
  const invites = new Map<string, number>();
  const latencies: number[] = [];
  const answered = new Set<string>();
  for (let at = 24; at + 16 <= pcap.length;) {
    const ms = pcap.readUInt32LE(at) * 1000 + pcap.readUInt32LE(at + 4) / 1e6;
    const caught = pcap.readUInt32LE(at + 8);
    const frame = at + 16;
    at = frame + caught;
    if (caught < 14 + 20 + 8 || pcap.readUInt16BE(frame + 12) !== 0x0800) continue;
    const ip = frame + 14;
    const udp = ip + (pcap[ip]! & 0x0f) * 4;
    const src = pcap.readUInt16BE(udp);
    const dst = pcap.readUInt16BE(udp + 2);
    const text = pcap.toString('latin1', udp + 8, frame + caught);
    const callId = header(text, /\r\n(?:Call-ID|i)\s*:([^\r\n]*)/i);
    if (callId === undefined) continue;
    if (dst === port && text.startsWith('INVITE ') && /\r\n(?:Proxy-)?Authorization\s*:/i.test(text)) {
      if (!invites.has(callId)) invites.set(callId, ms);
    } else if (src === port && text.startsWith('SIP/2.0 200') && /\r\nCSeq\s*:\s*\d+\s+INVITE\b/i.test(text)) {
      const sent = invites.get(callId);
      if (sent !== undefined && !answered.has(callId)) {
        answered.add(callId);
        latencies.push(ms - sent);
      }
    }
  }
  return latencies;
}
