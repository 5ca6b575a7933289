// RTP timing on the wire: tcpdump on the loopback interface stamps each packet in the kernel as
// it is sent, so the jitter computed from those stamps is the senders' (SIPp's, and the relay's
// on top of it), free of the measuring sink's own scheduling, which grows with the load the relay
// puts on the same two cores. Capturing the relay's input and output in the same window gives
// the jitter the relay adds, stream for stream of the same run.
//   input: packets to the relay's RTP ports (from SIPp); output: packets to the sink.
import { startLoopbackCapture } from '../loopback-capture.js';
import { RtpWindowStats, type WindowReport } from './rtp-window-stats.js';

export interface WireCaptureOptions {
  /** Where the relay (or SIPp, for the baseline) sends the measured streams. */
  sinkPort: number;
  /** The relay's RTP port range (its input); none for the baseline. */
  relayPorts?: readonly [number, number];
  file: string;
}

export interface WireReport {
  /** What reached the sink: the relay's output (SIPp's own timing for the baseline). */
  output: WindowReport;
  /** What entered the relay, from SIPp. */
  input: WindowReport | undefined;
  /** Packets tcpdump says the kernel dropped before it read them (the stats miss those). */
  captureDrops: number;
}

export interface WireCapture {
  /** Ends the capture; only packets from `fromMs` (epoch ms, the window's start) on are counted. */
  stop(fromMs?: number): Promise<WireReport>;
}

const PCAP_NANO_MAGIC = 0xa1b23c4d;
const LINKTYPE_ETHERNET = 1;

export async function startWireCapture(o: WireCaptureOptions): Promise<WireCapture> {
  const filter = o.relayPorts === undefined
    ? `udp and dst port ${o.sinkPort}`
    : `udp and (dst port ${o.sinkPort} or dst portrange ${o.relayPorts[0]}-${o.relayPorts[1]})`;
  // 64 bytes: Ethernet (14), IPv4 (20), UDP (8) and the RTP fixed header (12) fit.
  const capture = await startLoopbackCapture(o.file, filter, 64);
  return {
    async stop(fromMs = 0) {
      const { pcap, drops } = await capture.stop();
      return { ...readCapture(pcap, o.sinkPort, o.relayPorts !== undefined, fromMs), captureDrops: drops };
    },
  };
}

/** Splits the capture into input and output streams (by source port and SSRC) and computes their statistics. */
export function readCapture(pcap: Buffer, sinkPort: number, withInput: boolean, fromMs = 0): Omit<WireReport, 'captureDrops'> {
  if (pcap.length < 24) throw new Error('capture file too short');
  const magic = pcap.readUInt32LE(0);
  if (magic !== PCAP_NANO_MAGIC) throw new Error(`capture is not a little-endian nanosecond pcap (magic ${magic.toString(16)})`);
  if (pcap.readUInt32LE(20) !== LINKTYPE_ETHERNET) throw new Error(`unexpected link type ${pcap.readUInt32LE(20)}`);
  let first = Number.NaN;
  let last = 0;
  let output: RtpWindowStats | undefined;
  let input: RtpWindowStats | undefined;
  for (let at = 24; at + 16 <= pcap.length;) {
    const ms = pcap.readUInt32LE(at) * 1000 + pcap.readUInt32LE(at + 4) / 1e6;
    const caught = pcap.readUInt32LE(at + 8);
    const frame = at + 16;
    at = frame + caught;
    if (ms < fromMs) continue;
    if (Number.isNaN(first)) {
      first = ms;
      output = new RtpWindowStats(8000, first);
      input = new RtpWindowStats(8000, first);
    }
    last = ms;
    if (caught < 14 + 20 + 8 + 12 || pcap.readUInt16BE(frame + 12) !== 0x0800) continue;
    const ip = frame + 14;
    const udp = ip + (pcap[ip]! & 0x0f) * 4;
    const rtp = udp + 8;
    if (rtp + 12 > frame + caught) continue;
    // RTP version 2, and not RTCP (payload types 72-76 with the marker bit, RFC 5761 4).
    if ((pcap[rtp]! & 0xc0) !== 0x80) continue;
    const pt = pcap[rtp + 1]! & 0x7f;
    if (pt >= 72 && pt <= 76) continue;
    const key = `${pcap.readUInt16BE(udp)}/${pcap.readUInt32BE(rtp + 8)}`;
    const toSink = pcap.readUInt16BE(udp + 2) === sinkPort;
    (toSink ? output : input)!.add(key, pcap.readUInt16BE(rtp + 2), pcap.readUInt32BE(rtp + 4), ms);
  }
  if (output === undefined || input === undefined) throw new Error('the capture holds no packet');
  return { output: output.report(last), input: withInput ? input.report(last) : undefined };
}
