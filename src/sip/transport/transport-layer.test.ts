import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createResponse, getHeader, isParseError, parseMessage, type SipMessage, type SipRequest } from '../message/index.js';
import { TransportError } from './transport-error.js';
import { TransportLayer, type TransportLayerOptions } from './transport-layer.js';
import type { InboundMessage, RawInbound } from './types.js';

function requestText(via: string, opts: { body?: string; method?: string; callId?: string } = {}): string {
  const method = opts.method ?? 'OPTIONS';
  const body = opts.body ?? '';
  return (
    `${method} sip:100@127.0.0.1 SIP/2.0\r\n` +
    `Via: ${via}\r\n` +
    'From: <sip:a@example.com>;tag=1\r\n' +
    'To: <sip:100@example.com>\r\n' +
    `Call-ID: ${opts.callId ?? 'c1'}\r\n` +
    `CSeq: 1 ${method}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
    body
  );
}

function parse(data: Buffer | string): SipMessage {
  const m = parseMessage(Buffer.isBuffer(data) ? data : Buffer.from(data));
  if (isParseError(m)) throw new Error(`did not parse: ${m.reason}`);
  return m;
}

/** A layer whose inbound messages are queued for the test; OPTIONS get a 200 unless told otherwise. */
function harness(options: Partial<TransportLayerOptions> & { answer?: boolean } = {}) {
  const inbound: InboundMessage[] = [];
  const waiters: (() => void)[] = [];
  const layer: TransportLayer = new TransportLayer({
    ...options,
    onMessage: (m) => {
      inbound.push(m);
      for (const w of waiters.splice(0)) w();
      if (options.answer !== false && m.message.type === 'request') {
        layer.sendResponse(createResponse(m.message, 200), m).catch(() => undefined);
      }
    },
  });
  const nextInbound = async (count = 1): Promise<InboundMessage[]> => {
    while (inbound.length < count) await new Promise<void>((r) => waiters.push(r));
    return inbound;
  };
  layers.push(layer);
  return { layer, inbound, nextInbound };
}

/** Polls until `cond` holds (server-side close events trail the client's). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

const layers: TransportLayer[] = [];
const sockets: (Socket | UdpSocket)[] = [];
afterEach(() => {
  for (const l of layers.splice(0)) l.close();
  for (const s of sockets.splice(0)) {
    if ('destroy' in s) s.destroy();
    else s.close();
  }
});

function udpClient(): Promise<{ socket: UdpSocket; port: number; next: () => Promise<Buffer> }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const queue: Buffer[] = [];
  const waiters: ((b: Buffer) => void)[] = [];
  socket.on('message', (b) => {
    const w = waiters.shift();
    if (w) w(b);
    else queue.push(b);
  });
  const next = (): Promise<Buffer> => {
    const b = queue.shift();
    return b ? Promise.resolve(b) : new Promise((r) => waiters.push(r));
  };
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve({ socket, port: socket.address().port, next })));
}

function tcpClient(port: number): Promise<{ socket: Socket; received: () => string; waitFor: (re: RegExp) => Promise<string>; closed: Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  let text = '';
  const checks: (() => void)[] = [];
  socket.on('data', (b) => {
    text += b.toString();
    for (const c of [...checks]) c();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((r) => socket.on('close', () => r()));
  const waitFor = (re: RegExp): Promise<string> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (re.test(text)) {
          checks.splice(checks.indexOf(check), 1);
          resolve(text);
        }
      };
      checks.push(check);
      check();
    });
  return new Promise((resolve) => socket.on('connect', () => resolve({ socket, received: () => text, waitFor, closed })));
}

describe('UDP', () => {
  it('delivers a datagram, stamps received/rport, and answers to received:rport', async () => {
    const { layer, nextInbound } = harness();
    const local = await layer.listenUdp('127.0.0.1', 0);
    expect(local.port).toBeGreaterThan(0);
    const client = await udpClient();
    // sent-by names a host and port we are not: the answer must still reach the real source.
    client.socket.send(requestText('SIP/2.0/UDP client.invalid:5999;rport;branch=z9hG4bKu1'), local.port, '127.0.0.1');
    const [inbound] = await nextInbound();
    expect(inbound!.source).toEqual({ protocol: 'udp', address: '127.0.0.1', port: client.port });
    expect(inbound!.local).toEqual(local);
    expect(inbound!.connectionId).toBeUndefined();
    expect(getHeader(inbound!.message, 'Via')).toBe(
      `SIP/2.0/UDP client.invalid:5999;rport=${client.port};branch=z9hG4bKu1;received=127.0.0.1`,
    );
    const response = parse(await client.next());
    expect(response.type === 'response' && response.status).toBe(200);
    expect(layer.stats).toMatchObject({ received: 1, sent: 1, parseErrors: 0 });
  });

  it('on a dual-stack "::" socket, answers an IPv4 peer (known by its plain address) through its mapped address', async () => {
    const { layer, nextInbound } = harness();
    const local = await layer.listenUdp('::', 0);
    const client = await udpClient();
    client.socket.send(requestText('SIP/2.0/UDP 127.0.0.1:5999;rport;branch=z9hG4bKds1'), local.port, '127.0.0.1');
    const [inbound] = await nextInbound();
    expect(inbound!.source).toEqual({ protocol: 'udp', address: '127.0.0.1', port: client.port });
    const response = parse(await client.next());
    expect(response.type === 'response' && response.status).toBe(200);
  });

  it('answers a malformed request with 400 and a Warning, drops garbage, and keeps serving', async () => {
    const { layer, nextInbound } = harness();
    const local = await layer.listenUdp('127.0.0.1', 0);
    const client = await udpClient();
    client.socket.send('this is not SIP\r\n\r\n', local.port, '127.0.0.1');
    const broken = requestText(`SIP/2.0/UDP 127.0.0.1:${client.port};branch=z9hG4bKbad`).replace('CSeq: 1 OPTIONS', 'CSeq: x');
    // A missing CSeq value breaks a core header: with no usable CSeq the parser cannot offer a partial request.
    const answerable = requestText(`SIP/2.0/UDP 127.0.0.1:${client.port};branch=z9hG4bKbad`).replace(
      'Content-Length: 0',
      'Content-Length: abc',
    );
    client.socket.send(broken, local.port, '127.0.0.1');
    client.socket.send(answerable, local.port, '127.0.0.1');
    const reply = parse(await client.next());
    expect(reply.type === 'response' && reply.status).toBe(400);
    expect(getHeader(reply, 'Warning')).toMatch(/^399 127\.0\.0\.1 ".+"$/);
    client.socket.send(requestText(`SIP/2.0/UDP 127.0.0.1:${client.port};branch=z9hG4bKok`), local.port, '127.0.0.1');
    const [good] = await nextInbound();
    expect(getHeader(good!.message, 'Via')).toContain('z9hG4bKok');
    expect(layer.stats).toMatchObject({ received: 1, parseErrors: 3, dropped: 2 });
  });

  it('ignores CRLF and STUN keep-alive datagrams without counting them as errors', async () => {
    const { layer, nextInbound } = harness({ answer: false });
    const local = await layer.listenUdp('127.0.0.1', 0);
    const client = await udpClient();
    const stun = Buffer.alloc(20);
    stun.writeUInt16BE(0x0001, 0);
    stun.writeUInt32BE(0x2112a442, 4);
    client.socket.send('\r\n\r\n', local.port, '127.0.0.1');
    client.socket.send(stun, local.port, '127.0.0.1');
    client.socket.send(requestText('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKafter'), local.port, '127.0.0.1');
    await nextInbound();
    expect(layer.stats).toMatchObject({ received: 1, parseErrors: 0, dropped: 0 });
  });

  it('drops datagrams silently when acceptSource says no', async () => {
    const seen: string[] = [];
    const { layer, inbound } = harness({
      acceptSource: (s) => {
        seen.push(`${s.protocol} ${s.address}`);
        return false;
      },
    });
    const local = await layer.listenUdp('127.0.0.1', 0);
    const client = await udpClient();
    client.socket.send(requestText('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKban'), local.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual(['udp 127.0.0.1']);
    expect(inbound).toHaveLength(0);
    expect(layer.stats).toMatchObject({ received: 0, dropped: 1, sent: 0 });
  });

  it('hands what the divert hook takes to it, unparsed, and the rest to onMessage', async () => {
    const diverted: Array<{ text: string; raw: Omit<RawInbound, 'data'> }> = [];
    const { layer, inbound, nextInbound } = harness({
      divert: ({ data, ...raw }) => {
        if (!data.toString('latin1').startsWith('REGISTER')) return false;
        diverted.push({ text: data.toString('utf8'), raw });
        return true;
      },
    });
    const local = await layer.listenUdp('127.0.0.1', 0);
    const client = await udpClient();
    const register = requestText('SIP/2.0/UDP 127.0.0.1;rport;branch=z9hG4bKdv1', { method: 'REGISTER', callId: 'reg' });
    client.socket.send(register, local.port, '127.0.0.1');
    client.socket.send(requestText('SIP/2.0/UDP 127.0.0.1;rport;branch=z9hG4bKdv2', { callId: 'opt' }), local.port, '127.0.0.1');
    await nextInbound();
    // Datagrams on loopback arrive in order: the REGISTER was offered before the OPTIONS.
    expect(diverted).toEqual([
      { text: register, raw: { source: { protocol: 'udp', address: '127.0.0.1', port: client.port }, local, warningHost: '127.0.0.1' } },
    ]);
    expect(inbound.map((m) => getHeader(m.message, 'Call-ID'))).toEqual(['opt']);
    const reply = parse(await client.next());
    expect(getHeader(reply, 'Call-ID')).toBe('opt');
    expect(layer.stats).toMatchObject({ received: 2, parseErrors: 0, dropped: 0 });
    // The taker could not parse it: a parse error instead of a received message, as if parsed here.
    layer.countDivertedRejection(true);
    expect(layer.stats).toMatchObject({ received: 1, parseErrors: 1, dropped: 0 });
    layer.countDivertedRejection(false);
    expect(layer.stats).toMatchObject({ received: 0, parseErrors: 2, dropped: 1 });
  });

  it('sends requests between two layers and rejects sends after close', async () => {
    const a = harness({ answer: false });
    const b = harness({ answer: false });
    const bAddr = await b.layer.listenUdp('127.0.0.1', 0);
    await a.layer.listenUdp('127.0.0.1', 0);
    const req = parse(requestText('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKab')) as SipRequest;
    await a.layer.send(req, { protocol: 'udp', address: '127.0.0.1', port: bAddr.port });
    const [got] = await b.nextInbound();
    expect(got!.message.type).toBe('request');
    a.layer.close();
    a.layer.close();
    await expect(a.layer.send(req, { protocol: 'udp', address: '127.0.0.1', port: bAddr.port })).rejects.toBeInstanceOf(
      TransportError,
    );
  });
});

describe('TCP', () => {
  it('frames messages split across chunks and several in one chunk, answering on the same connection', async () => {
    const { layer, nextInbound } = harness();
    const local = await layer.listenTcp('127.0.0.1', 0);
    const client = await tcpClient(local.port);
    const m1 = requestText('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKt1', { callId: 't1', method: 'MESSAGE', body: 'first body' });
    const m2 = requestText('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKt2', { callId: 't2', method: 'MESSAGE', body: 'second' });
    const m3 = requestText('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKt3', { callId: 't3' });
    client.socket.write(m1.slice(0, 30));
    await new Promise((r) => setTimeout(r, 20));
    client.socket.write(m1.slice(30) + m2 + m3.slice(0, m3.length - 3));
    await new Promise((r) => setTimeout(r, 20));
    client.socket.write(m3.slice(m3.length - 3));
    const got = await nextInbound(3);
    expect(got.map((m) => getHeader(m.message, 'Call-ID'))).toEqual(['t1', 't2', 't3']);
    expect(got.map((m) => m.message.body.toString())).toEqual(['first body', 'second', '']);
    expect(new Set(got.map((m) => m.connectionId)).size).toBe(1);
    expect(got[0]!.source.protocol).toBe('tcp');
    const text = await client.waitFor(/(SIP\/2\.0 200 OK[\s\S]*){3}/);
    expect(text.match(/Call-ID: t\d/g)).toEqual(['Call-ID: t1', 'Call-ID: t2', 'Call-ID: t3']);
    expect(layer.stats.connections).toBe(1);
  });

  it('answers a double-CRLF ping with a CRLF pong', async () => {
    const { layer } = harness();
    const local = await layer.listenTcp('127.0.0.1', 0);
    const client = await tcpClient(local.port);
    client.socket.write('\r\n\r\n');
    await client.waitFor(/^\r\n$/);
    expect(client.received()).toBe('\r\n');
  });

  it('answers an oversize message with 400 and closes', async () => {
    const { layer, inbound } = harness({ maxMessageBytes: 1000 });
    const local = await layer.listenTcp('127.0.0.1', 0);
    const client = await tcpClient(local.port);
    client.socket.write(requestText('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKbig').replace('Content-Length: 0', 'Content-Length: 5000'));
    await client.closed;
    expect(client.received()).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
    expect(client.received()).toMatch(/Warning: 399 127\.0\.0\.1 "Message too large"/);
    expect(inbound).toHaveLength(0);
    await until(() => layer.stats.connections === 0);
    expect(layer.stats).toMatchObject({ parseErrors: 1, sent: 1 });
  });

  it('answers a message without Content-Length with 400 and closes; garbage is just closed', async () => {
    const { layer } = harness();
    const local = await layer.listenTcp('127.0.0.1', 0);
    const client = await tcpClient(local.port);
    client.socket.write(requestText('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKnocl').replace('Content-Length: 0\r\n', ''));
    await client.closed;
    expect(client.received()).toMatch(/^SIP\/2\.0 400 .*\r\n[\s\S]*Warning: 399 [^\r]*Content-Length/);
    const junk = await tcpClient(local.port);
    junk.socket.write('\x16\x03\x01 not sip at all\r\n\r\n');
    await junk.closed;
    expect(junk.received()).toBe('');
    expect(layer.stats).toMatchObject({ parseErrors: 2, dropped: 1 });
  });

  it('reuses the peer-opened connection for requests to its source address', async () => {
    const { layer, nextInbound } = harness({ answer: false });
    const local = await layer.listenTcp('127.0.0.1', 0);
    const client = await tcpClient(local.port);
    client.socket.write(requestText('SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKreg', { method: 'REGISTER' }));
    const [reg] = await nextInbound();
    const req = parse(requestText(`SIP/2.0/TCP 127.0.0.1:${local.port};branch=z9hG4bKout`, { callId: 'to-peer' })) as SipRequest;
    await layer.send(req, { protocol: 'tcp', address: reg!.source.address, port: reg!.source.port });
    await client.waitFor(/Call-ID: to-peer/);
    // And by connection id, which the registrar keeps for the flow.
    await layer.send(req, { protocol: 'tcp', address: '192.0.2.1', port: 9, connectionId: reg!.connectionId! });
    await client.waitFor(/(Call-ID: to-peer[\s\S]*){2}/);
    expect(layer.stats.connections).toBe(1);
  });

  it('refuses connections when acceptSource says no', async () => {
    const { layer, inbound } = harness({ acceptSource: () => false });
    const local = await layer.listenTcp('127.0.0.1', 0);
    const client = await tcpClient(local.port);
    client.socket.write(requestText('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKx'));
    await client.closed;
    expect(inbound).toHaveLength(0);
    await until(() => layer.stats.connections === 0);
    expect(layer.stats.dropped).toBe(1);
  });

  it('opens one client connection to a peer layer and reuses it', async () => {
    const a = harness({ answer: false });
    const b = harness();
    const bAddr = await b.layer.listenTcp('127.0.0.1', 0);
    await a.layer.listenTcp('127.0.0.1', 0);
    const target = { protocol: 'tcp' as const, address: '127.0.0.1', port: bAddr.port };
    const r1 = parse(requestText('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKc1', { callId: 'r1' }));
    const r2 = parse(requestText('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKc2', { callId: 'r2' }));
    await Promise.all([a.layer.send(r1, target), a.layer.send(r2, target)]);
    const got = await b.nextInbound(2);
    expect(got[0]!.connectionId).toBe(got[1]!.connectionId);
    // b answered both on that connection.
    const answers = await a.nextInbound(2);
    expect(answers.map((m) => m.message.type)).toEqual(['response', 'response']);
    expect(a.layer.stats.connections).toBe(1);
  });

  it('rejects with TransportError when nothing listens', async () => {
    const { layer } = harness();
    const probe = await layer.listenTcp('127.0.0.1', 0);
    const other = new TransportLayer({ onMessage: () => undefined });
    const freePort = (await other.listenTcp('127.0.0.1', 0)).port;
    other.close();
    await new Promise((r) => setTimeout(r, 20));
    const req = parse(requestText('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKno'));
    await expect(layer.send(req, { protocol: 'tcp', address: '127.0.0.1', port: freePort })).rejects.toBeInstanceOf(TransportError);
    await expect(layer.send(req, { protocol: 'ws', address: '127.0.0.1', port: probe.port })).rejects.toBeInstanceOf(TransportError);
    expect(layer.stats.sendErrors).toBe(2);
  });

  it('closes idle connections unless kept', async () => {
    const clock = new ManualClock();
    const { layer, nextInbound } = harness({ clock, idleTimeoutMs: 1000, answer: false });
    const local = await layer.listenTcp('127.0.0.1', 0);
    const kept = await tcpClient(local.port);
    kept.socket.write(requestText('SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKk', { method: 'REGISTER' }));
    const [reg] = await nextInbound();
    const idle = await tcpClient(local.port);
    await until(() => layer.stats.connections === 2);
    expect(layer.keepConnection(reg!.connectionId!, clock.now() + 5000)).toBe(true);
    clock.advance(1001);
    await idle.closed;
    expect(layer.isConnectionOpen(reg!.connectionId!)).toBe(true);
    clock.advance(4000);
    await kept.closed;
    await until(() => layer.stats.connections === 0);
    expect(clock.pending).toBe(0);
  });
});

describe('addresses', () => {
  it('reports Via sent-by and local addresses, with an optional public host', async () => {
    const { layer } = harness();
    const udp = await layer.listenUdp('127.0.0.1', 0);
    const tcp = await layer.listenTcp('127.0.0.1', 0);
    expect(layer.viaSentBy('udp')).toEqual({ host: '127.0.0.1', port: udp.port });
    expect(layer.viaSentBy('tcp')).toEqual({ host: '127.0.0.1', port: tcp.port });
    expect(() => layer.viaSentBy('tls')).toThrow(TransportError);
    expect(layer.localAddresses()).toEqual([udp, tcp]);
    expect(layer.isReliable('udp')).toBe(false);
    expect(layer.isReliable('tcp')).toBe(true);
    const pub = harness({ publicHost: 'sip.example.com' });
    const p = await pub.layer.listenUdp('127.0.0.1', 0);
    expect(pub.layer.viaSentBy('udp')).toEqual({ host: 'sip.example.com', port: p.port });
  });
});
