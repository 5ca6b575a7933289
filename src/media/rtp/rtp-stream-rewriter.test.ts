import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/index.js';
import { RtpHeaderView } from './rtp-header-view.js';
import { serializeRtpPacket } from './rtp-packet.js';
import { RtpStreamRewriter } from './rtp-stream-rewriter.js';

function packet(ssrc: number, seq: number, ts: number, marker = false): Buffer {
  return serializeRtpPacket({
    marker, payloadType: 0, sequenceNumber: seq, timestamp: ts, ssrc, csrcs: [], payload: new Uint8Array(160), paddingLength: 0,
  });
}

interface Out { seq: number; ts: number; ssrc: number; marker: boolean }
const view = new RtpHeaderView();
function fields(buf: Buffer): Out {
  expect(view.wrap(buf)).toBeUndefined();
  return { seq: view.sequenceNumber, ts: view.timestamp, ssrc: view.ssrc, marker: view.marker };
}

describe('RtpStreamRewriter', () => {
  it('keeps one SSRC with continuous numbering when the source changes', () => {
    const r = new RtpStreamRewriter({ clockRate: 8000, random: seededRandom(5) });
    const out: Out[] = [];
    let now = 1000;
    // A prompt: SSRC 0xaaaa, 3 packets.
    for (let i = 0; i < 3; i++, now += 20) {
      const b = packet(0xaaaa, 40000 + i, 900000 + i * 160);
      r.rewrite(b, now);
      out.push(fields(b));
    }
    // The bridged leg: unrelated numbering, 60 ms later than the next slot would be.
    now += 60;
    for (let i = 0; i < 3; i++, now += 20) {
      const b = packet(0xbbbb, 65534 + i, 0xfffffe00 + i * 160);
      r.rewrite(b, now);
      out.push(fields(b));
    }
    expect(new Set(out.map((o) => o.ssrc))).toEqual(new Set([r.ssrc]));
    for (let i = 1; i < out.length; i++) expect(out[i]!.seq).toBe((out[i - 1]!.seq + 1) & 0xffff);
    const tsSteps = out.slice(1).map((o, i) => (o.ts - out[i]!.ts) >>> 0);
    // 20 ms steps, and 80 ms (elapsed time) across the switch.
    expect(tsSteps).toEqual([160, 160, 640, 160, 160]);
    expect(out.map((o) => o.marker)).toEqual([true, false, false, true, false, false]);
    expect(r.switches).toBe(2);
  });

  it('passes the sender\'s own gaps and reordering through unchanged', () => {
    const r = new RtpStreamRewriter({ clockRate: 8000, random: seededRandom(6) });
    const seqs = [10, 11, 13, 12, 14].map((s, i) => {
      const b = packet(1, s, s * 160);
      r.rewrite(b, i * 20);
      return fields(b).seq;
    });
    const base = seqs[0]!;
    expect(seqs.map((s) => (s - base) & 0xffff)).toEqual([0, 1, 3, 2, 4]);
  });

  it('treats a forced switch with the same SSRC as a new source', () => {
    const r = new RtpStreamRewriter({ clockRate: 8000, random: seededRandom(8), ssrc: 77 });
    const a = packet(1, 500, 1000);
    r.rewrite(a, 0);
    r.switchSource();
    // The player restarted: its numbers went back to the start.
    const b = packet(1, 0, 0);
    r.rewrite(b, 20);
    const fa = fields(a);
    const fb = fields(b);
    expect(fb.ssrc).toBe(77);
    expect(fb.seq).toBe((fa.seq + 1) & 0xffff);
    expect((fb.ts - fa.ts) >>> 0).toBe(160);
    expect(fb.marker).toBe(true);
  });
});
