import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createResponse, getHeader, isParseError, parseMessage, type SipMessage } from '../message/index.js';
import { loadOrCreateCertificate, type CertificatePair } from './tls-certificate.js';
import { TransportError } from './transport-error.js';
import { TransportLayer } from './transport-layer.js';
import type { InboundMessage } from './types.js';

function requestText(via: string, callId = 'c1'): string {
  return (
    'OPTIONS sip:100@127.0.0.1 SIP/2.0\r\n' +
    `Via: ${via}\r\n` +
    'From: <sip:a@example.com>;tag=1\r\n' +
    'To: <sip:100@example.com>\r\n' +
    `Call-ID: ${callId}\r\n` +
    'CSeq: 1 OPTIONS\r\n' +
    'Content-Length: 0\r\n\r\n'
  );
}

function parse(data: Buffer | string): SipMessage {
  const m = parseMessage(Buffer.isBuffer(data) ? data : Buffer.from(data));
  if (isParseError(m)) throw new Error(`did not parse: ${m.reason}`);
  return m;
}

const layers: TransportLayer[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const l of layers.splice(0)) l.close();
  for (const c of cleanups.splice(0)) c();
});

/** A layer that answers every request 200 and queues what it receives. */
function answeringLayer(options: { allowSelfSigned?: boolean } = {}) {
  const inbound: InboundMessage[] = [];
  const waiters: (() => void)[] = [];
  const layer: TransportLayer = new TransportLayer({
    tlsClient: { allowSelfSigned: options.allowSelfSigned ?? false },
    onMessage: (m) => {
      inbound.push(m);
      for (const w of waiters.splice(0)) w();
      if (m.message.type === 'request') layer.sendResponse(createResponse(m.message, 200), m).catch(() => undefined);
    },
  });
  layers.push(layer);
  const next = async (count = 1): Promise<InboundMessage[]> => {
    while (inbound.length < count) await new Promise<void>((r) => waiters.push(r));
    return inbound;
  };
  return { layer, inbound, next };
}

let certDir: string;
let certificate: CertificatePair;

beforeAll(async () => {
  certDir = await mkdtemp(join(tmpdir(), 'atende-tls-'));
  certificate = await loadOrCreateCertificate(certDir, 'atende.test');
}, 30_000);

afterAll(async () => {
  await rm(certDir, { recursive: true, force: true });
});

describe('loadOrCreateCertificate', () => {
  it('writes the pair once and reuses it', async () => {
    expect(certificate.key).toMatch(/PRIVATE KEY/);
    expect(certificate.cert).toMatch(/BEGIN CERTIFICATE/);
    const again = await loadOrCreateCertificate(certDir, 'atende.test');
    expect(again).toEqual(certificate);
    expect(await readFile(join(certDir, 'sip-tls.crt'), 'utf8')).toBe(certificate.cert);
  });
});

describe('TLS', () => {
  it('carries a request to a TLS listener and the answer back on the same connection', async () => {
    const server = answeringLayer();
    const client = answeringLayer({ allowSelfSigned: true });
    const bound = await server.layer.listenTls('127.0.0.1', 0, certificate);
    await client.layer.listenTls('127.0.0.1', 0, certificate);
    expect(server.layer.viaSentBy('tls')).toEqual({ host: '127.0.0.1', port: bound.port });
    const req = parse(requestText('SIP/2.0/TLS 127.0.0.1;branch=z9hG4bKtls', 'tls-1'));
    await client.layer.send(req, { protocol: 'tls', address: '127.0.0.1', port: bound.port });
    const [got] = await server.next();
    expect(got!.source.protocol).toBe('tls');
    expect(got!.connectionId).toMatch(/^tls-/);
    const [answer] = await client.next();
    expect(answer!.message.type === 'response' && answer!.message.status).toBe(200);
    expect(client.layer.stats.connections).toBe(1);
    expect(server.layer.stats.connections).toBe(1);
  });

  it('refuses a self-signed peer unless allowed', async () => {
    const server = answeringLayer();
    const strict = answeringLayer({ allowSelfSigned: false });
    const bound = await server.layer.listenTls('127.0.0.1', 0, certificate);
    const req = parse(requestText('SIP/2.0/TLS 127.0.0.1;branch=z9hG4bKstrict'));
    await expect(strict.layer.send(req, { protocol: 'tls', address: '127.0.0.1', port: bound.port })).rejects.toBeInstanceOf(
      TransportError,
    );
    expect(server.inbound).toHaveLength(0);
  });

  it('answers CRLF pings from a plain TLS client', async () => {
    const server = answeringLayer();
    const bound = await server.layer.listenTls('127.0.0.1', 0, certificate);
    const socket = tlsConnect({ host: '127.0.0.1', port: bound.port, rejectUnauthorized: false });
    cleanups.push(() => socket.destroy());
    await new Promise<void>((r) => socket.once('secureConnect', () => r()));
    socket.write('\r\n\r\n');
    const pong = await new Promise<string>((r) => socket.once('data', (b: Buffer) => r(b.toString())));
    expect(pong).toBe('\r\n');
  });
});

describe('WebSocket (RFC 7118)', () => {
  async function httpServer(): Promise<{ server: Server; port: number }> {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => server.close());
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    return { server, port: address.port };
  }

  function wsClient(port: number, path = '/sip', protocols: string[] = ['sip']): WebSocket {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols);
    ws.on('error', () => undefined);
    cleanups.push(() => ws.terminate());
    return ws;
  }

  it('takes text and binary frames with subprotocol sip and answers on the same socket', async () => {
    const { layer, next } = answeringLayer();
    const { server, port } = await httpServer();
    layer.attachWebSocket(server, { path: '/sip', secure: false });
    const ws = wsClient(port);
    await new Promise<void>((r) => ws.once('open', () => r()));
    expect(ws.protocol).toBe('sip');
    const replies: { text: string; binary: boolean }[] = [];
    ws.on('message', (data: Buffer, isBinary: boolean) => replies.push({ text: data.toString(), binary: isBinary }));
    ws.send(requestText('SIP/2.0/WS df7jal23ls0d.invalid;rport;branch=z9hG4bKws1', 'ws-1'));
    ws.send(Buffer.from(requestText('SIP/2.0/WS df7jal23ls0d.invalid;rport;branch=z9hG4bKws2', 'ws-2')), { binary: true });
    const got = await next(2);
    expect(got.map((m) => m.source.protocol)).toEqual(['ws', 'ws']);
    expect(getHeader(got[0]!.message, 'Via')).toMatch(/;rport=\d+;branch=z9hG4bKws1;received=127\.0\.0\.1$/);
    while (replies.length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(replies.map((r) => r.binary)).toEqual([false, false]);
    expect(replies.map((r) => getHeader(parse(r.text), 'Call-ID'))).toEqual(['ws-1', 'ws-2']);
    expect(layer.viaSentBy('ws')).toEqual({ host: '127.0.0.1', port });

    // Requests to the browser go over its connection, by id.
    const req = parse(requestText(`SIP/2.0/WS 127.0.0.1:${port};branch=z9hG4bKout`, 'to-browser'));
    await layer.send(req, { protocol: 'ws', address: 'df7jal23ls0d.invalid', port: 0, connectionId: got[0]!.connectionId! });
    while (replies.length < 3) await new Promise((r) => setTimeout(r, 5));
    expect(replies[2]!.text).toContain('Call-ID: to-browser');

    ws.send('\r\n\r\n');
    while (replies.length < 4) await new Promise((r) => setTimeout(r, 5));
    expect(replies[3]!.text).toBe('\r\n');
  });

  it('serves WSS on an HTTPS server', async () => {
    const { createServer: createHttpsServer } = await import('node:https');
    const { layer, next } = answeringLayer();
    const server = createHttpsServer({ key: certificate.key, cert: certificate.cert });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => server.close());
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    layer.attachWebSocket(server, { path: '/sip', secure: true });
    const ws = new WebSocket(`wss://127.0.0.1:${address.port}/sip`, ['sip'], { rejectUnauthorized: false });
    ws.on('error', () => undefined);
    cleanups.push(() => ws.terminate());
    await new Promise<void>((r) => ws.once('open', () => r()));
    const reply = new Promise<string>((r) => ws.once('message', (d: Buffer) => r(d.toString())));
    ws.send(requestText('SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKwss', 'wss-1'));
    const [got] = await next();
    expect(got!.source.protocol).toBe('wss');
    expect(got!.connectionId).toMatch(/^wss-/);
    expect(await reply).toMatch(/^SIP\/2\.0 200 OK\r\n[\s\S]*Call-ID: wss-1/);
    expect(layer.localAddresses()).toEqual([{ protocol: 'wss', address: '127.0.0.1', port: address.port }]);
  });

  it('refuses an upgrade without the sip subprotocol, and ignores other paths', async () => {
    const { layer } = answeringLayer();
    const { server, port } = await httpServer();
    layer.attachWebSocket(server, { path: '/sip', secure: false });
    const noSip = wsClient(port, '/sip', ['chat']);
    const status = await new Promise<number>((r) => noSip.once('unexpected-response', (_req, res) => r(res.statusCode ?? 0)));
    expect(status).toBe(400);
    let otherPathSeen = false;
    server.on('upgrade', (req, socket) => {
      if (req.url === '/events') {
        otherPathSeen = true;
        socket.destroy();
      }
    });
    const other = wsClient(port, '/events');
    await new Promise<void>((r) => other.once('close', () => r()));
    expect(otherPathSeen).toBe(true);
    expect(layer.stats.connections).toBe(0);
  });

  it('destroys the upgrade when acceptSource says no', async () => {
    const layer = new TransportLayer({ onMessage: () => undefined, acceptSource: () => false });
    layers.push(layer);
    const { server, port } = await httpServer();
    layer.attachWebSocket(server, { path: '/sip', secure: false });
    const ws = wsClient(port);
    await new Promise<void>((r) => ws.once('close', () => r()));
    expect(layer.stats).toMatchObject({ dropped: 1, connections: 0 });
  });
});

describe('close()', () => {
  it('leaves no handles: a process that used every transport exits on its own', async () => {
    const { spawn } = await import('node:child_process');
    const { writeFile } = await import('node:fs/promises');
    const root = join(import.meta.dirname, '../../..');
    const script = join(certDir, 'close-check.mts');
    await writeFile(
      script,
      `
import { createServer } from 'node:http';
import { WebSocket } from ${JSON.stringify(join(root, 'node_modules/ws/wrapper.mjs'))};
import { TransportLayer } from ${JSON.stringify(join(root, 'src/sip/transport/index.ts'))};
import { createResponse, parseMessage, isParseError } from ${JSON.stringify(join(root, 'src/sip/message/index.ts'))};
const cert = { key: ${JSON.stringify(certificate.key)}, cert: ${JSON.stringify(certificate.cert)} };
let answered = 0;
const a = new TransportLayer({ onMessage: (m) => { if (m.message.type === 'request') void a.sendResponse(createResponse(m.message, 200), m).then(() => answered++); } });
const b = new TransportLayer({ onMessage: () => {}, tlsClient: { allowSelfSigned: true } });
const http = createServer();
await new Promise((r) => http.listen(0, '127.0.0.1', r));
a.attachWebSocket(http, { path: '/sip', secure: false });
const ports = { udp: (await a.listenUdp('127.0.0.1', 0)).port, tcp: (await a.listenTcp('127.0.0.1', 0)).port, tls: (await a.listenTls('127.0.0.1', 0, cert)).port };
await b.listenUdp('127.0.0.1', 0);
const req = (t) => { const m = parseMessage(Buffer.from(${JSON.stringify(requestText('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKclose'))}.replace('UDP', t))); if (isParseError(m)) throw new Error(m.reason); return m; };
for (const p of ['udp', 'tcp', 'tls']) await b.send(req(p.toUpperCase()), { protocol: p, address: '127.0.0.1', port: ports[p] });
const ws = new WebSocket('ws://127.0.0.1:' + http.address().port + '/sip', ['sip']);
await new Promise((r) => ws.once('open', r));
ws.send(${JSON.stringify(requestText('SIP/2.0/WS x.invalid;branch=z9hG4bKws'))});
await new Promise((r) => ws.once('message', r));
while (answered < 4) await new Promise((r) => setTimeout(r, 5));
a.close(); a.close(); b.close();
http.close();
console.log('closed ' + a.stats.connections + ' ' + b.stats.connections);
`,
    );
    const child = spawn(join(root, 'node_modules/.bin/tsx'), [script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    clearTimeout(killer);
    expect(output.trim()).toBe('closed 0 0');
    expect(code).toBe(0);
  }, 20_000);
});
