import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { UdpRtpTransport } from './udp-rtp-transport.js';
import type { RtpTransportReceiver, TransportRemote } from './rtp-transport.js';

const HOST = '127.0.0.1';
const WINDOW_MS = 500;
const open: { close(): void }[] = [];

async function peer(): Promise<Socket & { got: { data: Buffer; port: number }[] }> {
  const s = createSocket('udp4') as Socket & { got: { data: Buffer; port: number }[] };
  s.got = [];
  s.on('message', (data, rinfo) => s.got.push({ data, port: rinfo.port }));
  await new Promise<void>((r) => s.bind(0, HOST, () => r()));
  open.push(s);
  return s;
}

async function transport(clock: ManualClock, rtcpMux = true): Promise<{ t: UdpRtpTransport; rtp: Buffer[]; rtcp: Buffer[] }> {
  const t = await UdpRtpTransport.open({ localAddress: HOST, port: 0, rtcpMux, clock, latch: { windowMs: WINDOW_MS, windowPackets: 5 } });
  open.push(t);
  const rtp: Buffer[] = [];
  const rtcp: Buffer[] = [];
  const receiver: RtpTransportReceiver = {
    onRtp: (p) => rtp.push(Buffer.from(p)),
    onRtcp: (p) => rtcp.push(Buffer.from(p)),
    onLatched: () => undefined,
  };
  t.receiver = receiver;
  return { t, rtp, rtcp };
}

/** A muxed remote at `far`'s port. */
const remoteAt = (far: Socket): TransportRemote => ({ address: HOST, port: far.address().port, rtcpPort: far.address().port, rtcpMux: true });

const rtpPacket = (seq: number): Buffer => {
  const b = Buffer.alloc(172);
  b[0] = 0x80;
  b[1] = 0;
  b.writeUInt16BE(seq, 2);
  return b;
};
const receiverReport = (): Buffer => Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 1]);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !check(); i++) await sleep(5);
};

/** Signals `far` as the remote, lets the latch window close and sends packet 1 (the send that connects). */
function settleOn(t: UdpRtpTransport, clock: ManualClock, far: Socket): void {
  t.setRemote(remoteAt(far), clock.monotonic());
  clock.advance(WINDOW_MS + 1);
  t.sendRtp(rtpPacket(1));
}

afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

describe('UdpRtpTransport: the socket connects to a settled remote', () => {
  it('sends by address during the latch window, then connected, with the same source port and RTCP muxed', async () => {
    const clock = new ManualClock();
    const far = await peer();
    const { t } = await transport(clock);
    t.setRemote(remoteAt(far), clock.monotonic());
    t.sendRtp(rtpPacket(1));
    expect(t.connected).toBe(false); // the window is open: the remote may still move
    clock.advance(WINDOW_MS + 1);
    t.sendRtp(rtpPacket(2));
    expect(t.connected).toBe(true);
    t.sendRtcp(receiverReport());
    await until(() => far.got.length === 3);
    expect(far.got.map((g) => g.data[1])).toEqual([0, 0, 201]);
    expect(new Set(far.got.map((g) => g.port))).toEqual(new Set([t.port]));
  });

  it('once connected, takes packets from the remote only (the kernel drops the rest)', async () => {
    const clock = new ManualClock();
    const far = await peer();
    const stranger = await peer();
    const { t, rtp } = await transport(clock);
    settleOn(t, clock, far);
    expect(t.connected).toBe(true);
    stranger.send(rtpPacket(7), t.port, HOST);
    far.send(rtpPacket(8), t.port, HOST);
    await until(() => rtp.length === 1);
    await sleep(20);
    expect(rtp.map((p) => p.readUInt16BE(2))).toEqual([8]);
    // The latch never saw the stranger's packet (it would have counted it dropped).
    expect(t.dropped).toBe(0);
  });

  it('a new remote (re-INVITE) disconnects and reopens the window; it connects again once settled', async () => {
    const clock = new ManualClock();
    const first = await peer();
    const second = await peer();
    const { t, rtp } = await transport(clock);
    settleOn(t, clock, first);
    expect(t.connected).toBe(true);
    // The same remote again (e.g. a direction change) keeps the connection.
    t.setRemote(remoteAt(first), clock.monotonic());
    expect(t.connected).toBe(true);
    t.setRemote(remoteAt(second), clock.monotonic());
    expect(t.connected).toBe(false);
    t.sendRtp(rtpPacket(2));
    second.send(rtpPacket(9), t.port, HOST);
    await until(() => second.got.length === 1 && rtp.length === 1);
    expect(t.connected).toBe(false);
    clock.advance(WINDOW_MS + 1);
    t.sendRtp(rtpPacket(3));
    expect(t.connected).toBe(true);
    await until(() => second.got.length === 2);
    expect(first.got.map((g) => g.data.readUInt16BE(2))).toEqual([1]);
    expect(second.got.map((g) => g.data.readUInt16BE(2))).toEqual([2, 3]);
  });

  it('a learnt source (NAT) stays unconnected, so the signalled one can still take it back', async () => {
    const clock = new ManualClock();
    const signalled = await peer();
    const natted = await peer();
    const { t, rtp } = await transport(clock);
    t.setRemote(remoteAt(signalled), clock.monotonic());
    natted.send(rtpPacket(1), t.port, HOST);
    await until(() => rtp.length === 1);
    expect(t.latched).toBe(true);
    clock.advance(WINDOW_MS + 1);
    t.sendRtp(rtpPacket(2));
    expect(t.connected).toBe(false);
    await until(() => natted.got.length === 1);
    signalled.send(rtpPacket(3), t.port, HOST);
    await until(() => rtp.length === 2);
    expect(t.remotePort).toBe(signalled.address().port);
  });

  it('without rtcp-mux, RTCP keeps its own (unconnected) socket', async () => {
    const clock = new ManualClock();
    const far = await peer();
    const farRtcp = await peer();
    const { t } = await transport(clock, false);
    t.setRemote({ address: HOST, port: far.address().port, rtcpPort: farRtcp.address().port, rtcpMux: false }, clock.monotonic());
    clock.advance(WINDOW_MS + 1);
    t.sendRtp(rtpPacket(1));
    t.sendRtcp(receiverReport());
    expect(t.connected).toBe(true);
    await until(() => far.got.length === 1 && farRtcp.got.length === 1);
    expect(farRtcp.got[0]!.port).toBe(t.rtcpPort);
  });
});
