// A raw SIP client for acceptance tests: UDP, TCP or WebSocket (subprotocol "sip"), bound to a
// chosen loopback address. It sends what the test writes, keeps every message it receives in an
// inbox, waits for the ones a predicate picks, answers digest challenges with our own client
// helper, and answers requests the server sends it. No retransmissions: loopback does not lose.
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';
import { WebSocket } from 'ws';
import {
  digestClientAuthorization,
  parseDigestChallenge,
  selectDigestChallenge,
  type DigestChallenge,
} from '../../src/sip/auth/index.js';
import {
  createRequest,
  createResponse,
  cseq,
  frameStreamMessage,
  getHeader,
  getHeaderValues,
  isParseError,
  parseMessage,
  parseNameAddr,
  serializeMessage,
  setHeader,
  type HeaderField,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../src/sip/message/index.js';

export type ClientTransport = 'udp' | 'tcp' | 'ws' | 'wss';

export interface SipTestClientOptions {
  transport: ClientTransport;
  /** The server's UDP/TCP SIP port, or its HTTP port for ws. */
  serverPort: number;
  serverHost?: string;
  /** WebSocket path, default "/sip". */
  wsPath?: string;
  /** Local address to bind (any 127.0.0.0/8 address works on Linux); default 127.0.0.1. */
  localAddress?: string;
  /** Credentials for auto-answering challenges. */
  user?: string;
  password?: string;
  /** SIP domain written in URIs; default atende.local. */
  domain?: string;
  /** Challenge algorithm to prefer when the server offers several (default: the first we support). */
  preferAlgorithm?: 'MD5' | 'SHA-256';
  /** Sent in every request this client builds. */
  userAgent?: string;
}

export interface Received {
  message: SipMessage;
  /** Raw bytes as they arrived. */
  raw: Buffer;
  from: { address: string; port: number };
  at: number;
}

/** What a UA needs to send requests inside a dialog (RFC 3261 12). */
export interface ClientDialog {
  callId: string;
  localTag: string;
  remoteTag: string;
  localUri: string;
  remoteUri: string;
  remoteTarget: string;
  routeSet: string[];
  localSeq: number;
}

type Waiter = { predicate: (r: Received) => boolean; resolve: (r: Received) => void };

export function randomToken(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}

export function newBranch(): string {
  return `z9hG4bK-t${randomToken(8)}`;
}

function uriOf(nameAddr: string | undefined): string | undefined {
  if (nameAddr === undefined) return undefined;
  const n = parseNameAddr(nameAddr);
  if (isParseError(n)) return undefined;
  const inside = /<([^>]*)>/.exec(nameAddr);
  return inside ? inside[1] : nameAddr.split(';')[0]?.trim();
}

function tagOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const n = parseNameAddr(value);
  if (isParseError(n)) return undefined;
  const t = n.params['tag'];
  return typeof t === 'string' ? t : undefined;
}

export class SipTestClient {
  readonly transport: ClientTransport;
  readonly domain: string;
  readonly serverHost: string;
  readonly serverPort: number;
  localAddress = '127.0.0.1';
  localPort = 0;
  /** Every message received, in order (also the ones already taken by waitFor). */
  readonly log: Received[] = [];
  /** Every message sent, serialized. */
  readonly sent: Buffer[] = [];
  private readonly inbox: Received[] = [];
  private readonly waiters = new Set<Waiter>();
  private udp: UdpSocket | undefined;
  private tcp: TcpSocket | undefined;
  private ws: WebSocket | undefined;
  private streamBuffer = Buffer.alloc(0);
  private seq = 1;
  private closed = false;
  /** Answer these automatically (e.g. OPTIONS pings, stray CANCELs). */
  autoAnswer: ((r: Received) => SipResponse | undefined) | undefined;

  private constructor(readonly opts: SipTestClientOptions) {
    this.transport = opts.transport;
    this.domain = opts.domain ?? 'atende.local';
    this.serverHost = opts.serverHost ?? '127.0.0.1';
    this.serverPort = opts.serverPort;
  }

  /** Opens the socket or connection. */
  static async open(opts: SipTestClientOptions): Promise<SipTestClient> {
    const c = new SipTestClient(opts);
    await c.connect();
    return c;
  }

  private async connect(): Promise<void> {
    const local = this.opts.localAddress ?? '127.0.0.1';
    if (this.transport === 'udp') {
      const sock = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind(0, local, () => resolve());
      });
      sock.on('message', (data, rinfo) => this.onData(data, { address: rinfo.address, port: rinfo.port }));
      this.udp = sock;
      this.localAddress = local;
      this.localPort = sock.address().port;
      return;
    }
    if (this.transport === 'tcp') {
      const sock = connect({ host: this.serverHost, port: this.serverPort, localAddress: local });
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.once('connect', () => resolve());
      });
      sock.on('error', () => undefined);
      sock.on('data', (chunk: Buffer) => this.onStream(chunk));
      this.tcp = sock;
      this.localAddress = sock.localAddress ?? local;
      this.localPort = sock.localPort ?? 0;
      return;
    }
    const scheme = this.transport === 'wss' ? 'wss' : 'ws';
    const url = `${scheme}://${this.serverHost}:${this.serverPort}${this.opts.wsPath ?? '/sip'}`;
    // The test server's certificate is self-signed.
    const ws = new WebSocket(url, 'sip', { localAddress: local, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => resolve());
    });
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      this.onData(buf, { address: this.serverHost, port: this.serverPort });
    });
    this.ws = ws;
    // ws exposes no local address; its underlying socket (a private field) has it.
    const raw = (ws as unknown as { _socket?: TcpSocket })._socket;
    this.localAddress = raw?.localAddress ?? local;
    this.localPort = raw?.localPort ?? 0;
  }

  /** True while the stream (TCP/WS) is open; always true for UDP until close(). */
  get isOpen(): boolean {
    if (this.closed) return false;
    if (this.tcp) return !this.tcp.destroyed;
    if (this.ws) return this.ws.readyState === WebSocket.OPEN;
    return true;
  }

  private onStream(chunk: Buffer): void {
    this.streamBuffer = Buffer.concat([this.streamBuffer, chunk]);
    for (;;) {
      const frame = frameStreamMessage(this.streamBuffer);
      if (frame === undefined || isParseError(frame)) return;
      const bytes = this.streamBuffer.subarray(0, frame.length);
      this.streamBuffer = this.streamBuffer.subarray(frame.length);
      if (!frame.keepAlive) this.onData(Buffer.from(bytes), { address: this.serverHost, port: this.serverPort });
    }
  }

  private onData(raw: Buffer, from: { address: string; port: number }): void {
    const message = parseMessage(raw);
    if (isParseError(message)) return;
    const r: Received = { message, raw, from, at: Date.now() };
    this.log.push(r);
    const auto = this.autoAnswer?.(r);
    if (auto) {
      void this.sendTo(auto, from).catch(() => undefined);
      return;
    }
    for (const w of this.waiters) {
      if (w.predicate(r)) {
        this.waiters.delete(w);
        w.resolve(r);
        return;
      }
    }
    this.inbox.push(r);
  }

  // ---- sending ----

  /** Sends a message, or raw bytes, to the server. */
  async send(msg: SipMessage | Buffer | string): Promise<void> {
    await this.sendTo(msg, { address: this.serverHost, port: this.serverPort });
  }

  private async sendTo(msg: SipMessage | Buffer | string, to: { address: string; port: number }): Promise<void> {
    if (this.closed) throw new Error('client closed');
    const data = typeof msg === 'string' ? Buffer.from(msg, 'latin1') : Buffer.isBuffer(msg) ? msg : serializeMessage(msg);
    this.sent.push(data);
    if (this.udp) {
      const sock = this.udp;
      await new Promise<void>((resolve, reject) => sock.send(data, to.port, to.address, (err) => (err ? reject(err) : resolve())));
      return;
    }
    if (this.tcp) {
      const sock = this.tcp;
      await new Promise<void>((resolve, reject) => sock.write(data, (err) => (err ? reject(err) : resolve())));
      return;
    }
    const ws = this.ws;
    if (!ws) throw new Error('not connected');
    await new Promise<void>((resolve, reject) => ws.send(data.toString('utf8'), (err) => (err ? reject(err) : resolve())));
  }

  // ---- receiving ----

  /** The next received message (queued or future) the predicate accepts; rejects after timeoutMs. */
  waitFor(predicate: (m: SipMessage, r: Received) => boolean, timeoutMs = 3000, what = 'message'): Promise<Received> {
    const i = this.inbox.findIndex((r) => predicate(r.message, r));
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as Received);
    return new Promise<Received>((resolve, reject) => {
      const waiter: Waiter = {
        predicate: (r) => predicate(r.message, r),
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.transport} client ${this.localAddress}:${this.localPort}: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** A request of that method (and optional predicate). */
  async waitForRequest(method: string, timeoutMs = 3000, predicate: (r: SipRequest) => boolean = () => true): Promise<SipRequest> {
    const r = await this.waitFor((m) => m.type === 'request' && m.method === method && predicate(m), timeoutMs, `${method} request`);
    return r.message as SipRequest;
  }

  /** A response to `req` (same Call-ID and CSeq) with a status at least `minStatus`. */
  async waitForResponse(req: SipRequest, minStatus = 200, timeoutMs = 3000): Promise<SipResponse> {
    const r = await this.waitFor((m) => m.type === 'response' && m.status >= minStatus && isResponseTo(m, req), timeoutMs, `response >= ${minStatus} to ${req.method}`);
    return r.message as SipResponse;
  }

  /** Resolves true when nothing the predicate accepts arrives within ms (and does not consume it). */
  async silentFor(ms: number, predicate: (m: SipMessage) => boolean = () => true): Promise<boolean> {
    const before = this.log.length;
    await sleep(ms);
    return !this.log.slice(before).some((r) => predicate(r.message)) && !this.inbox.some((r) => predicate(r.message));
  }

  /** Drops queued messages (retransmissions the test does not care about). */
  clearInbox(): void {
    this.inbox.length = 0;
  }

  // ---- building ----

  /** Via sent-by for this client (RFC 7118 clients write a made-up .invalid host). */
  via(branch = newBranch()): string {
    if (this.transport === 'ws' || this.transport === 'wss') return `SIP/2.0/${this.transport.toUpperCase()} ${this.wsHost};branch=${branch}`;
    return `SIP/2.0/${this.transport.toUpperCase()} ${this.localAddress}:${this.localPort};branch=${branch};rport`;
  }

  /** The .invalid host a SIP.js-like WebSocket client puts in Via and Contact. */
  readonly wsHost = `${randomToken(5)}.invalid`;
  private readonly wsUser = randomToken(4);

  /** A Contact URI reaching this client, like real UAs write it. */
  contactUri(user = this.opts.user ?? 'test'): string {
    if (this.transport === 'ws' || this.transport === 'wss') return `sip:${this.wsUser}@${this.wsHost};transport=${this.transport}`;
    const t = this.transport === 'tcp' ? ';transport=tcp' : '';
    return `sip:${user}@${this.localAddress}:${this.localPort}${t}`;
  }

  /** A fresh out-of-dialog request with the mandatory headers (RFC 3261 8.1.1). */
  request(method: string, init: { uri?: string; from?: string; to?: string; callId?: string; cseq?: number; headers?: HeaderField[]; body?: Buffer | string; contentType?: string } = {}): SipRequest {
    const user = this.opts.user ?? 'anonymous';
    const uri = init.uri ?? `sip:${this.domain}`;
    const headers: HeaderField[] = [
      { name: 'Via', value: this.via() },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: init.from ?? `<sip:${user}@${this.domain}>;tag=${randomToken(4)}` },
      { name: 'To', value: init.to ?? `<${uri}>` },
      { name: 'Call-ID', value: init.callId ?? `${randomToken(8)}@test` },
      { name: 'CSeq', value: `${init.cseq ?? this.seq++} ${method}` },
    ];
    if (this.opts.userAgent) headers.push({ name: 'User-Agent', value: this.opts.userAgent });
    headers.push(...(init.headers ?? []));
    const body = typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
    if (body && body.length > 0) headers.push({ name: 'Content-Type', value: init.contentType ?? 'application/sdp' });
    return createRequest({ method, uri, headers, ...(body ? { body } : {}) });
  }

  /** A REGISTER for this client's user with its Contact. */
  registerRequest(opts: { expires?: number; contact?: string; uri?: string; aorHost?: string; callId?: string; headers?: HeaderField[] } = {}): SipRequest {
    const user = this.opts.user ?? 'anonymous';
    const aor = `sip:${user}@${opts.aorHost ?? this.domain}`;
    const headers: HeaderField[] = [{ name: 'Contact', value: opts.contact ?? `<${this.contactUri()}>` }];
    if (opts.expires !== undefined) headers.push({ name: 'Expires', value: String(opts.expires) });
    headers.push(...(opts.headers ?? []));
    return this.request('REGISTER', {
      uri: opts.uri ?? `sip:${opts.aorHost ?? this.domain}`,
      from: `<${aor}>;tag=${randomToken(4)}`,
      to: `<${aor}>`,
      ...(opts.callId ? { callId: opts.callId } : {}),
      headers,
    });
  }

  /** Registers (answering the challenge); resolves with the final response. */
  async register(opts: Parameters<SipTestClient['registerRequest']>[0] = {}): Promise<SipResponse> {
    return this.sendWithAuth(this.registerRequest(opts));
  }

  // ---- calls ----

  /** An INVITE to `number` at the domain (or `uri`), with an SDP offer and our Contact. */
  inviteRequest(number: string, opts: { uri?: string; body?: string } = {}): SipRequest {
    const uri = opts.uri ?? `sip:${number}@${this.domain}`;
    return this.request('INVITE', {
      uri,
      to: `<${uri}>`,
      headers: [{ name: 'Contact', value: `<${this.contactUri()}>` }],
      body: opts.body ?? sdp('203.0.113.10', 40000),
    });
  }

  /**
   * Places a call: INVITE, the expected 407 challenge (ACKed), then the INVITE with
   * credentials, which is returned without waiting for its answer.
   */
  async placeCall(number: string, opts: { uri?: string; body?: string } = {}): Promise<SipRequest> {
    const first = this.inviteRequest(number, opts);
    await this.send(first);
    const challenge = await this.waitForResponse(first, 200);
    await this.ackNon2xx(first, challenge);
    if (challenge.status !== 407) throw new Error(`expected 407 to the first INVITE, got ${challenge.status}`);
    const authed = this.withCredentials(first, challenge);
    await this.send(authed);
    return authed;
  }

  /** A CANCEL for an INVITE we sent (same branch, RFC 3261 9.1). */
  cancelRequest(invite: SipRequest): SipRequest {
    const headers: HeaderField[] = [
      { name: 'Via', value: getHeader(invite, 'Via') ?? '' },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: getHeader(invite, 'From') ?? '' },
      { name: 'To', value: getHeader(invite, 'To') ?? '' },
      { name: 'Call-ID', value: getHeader(invite, 'Call-ID') ?? '' },
      { name: 'CSeq', value: `${cseq(invite)?.seq ?? 1} CANCEL` },
    ];
    return createRequest({ method: 'CANCEL', uri: invite.uri, headers });
  }

  // ---- transactions ----

  /**
   * Sends the request and waits for its final response; a 401/407 is answered once with
   * digest credentials (new branch, CSeq + 1). Non-2xx finals to INVITE are ACKed. The
   * request actually sent last is in `lastSent`.
   */
  async sendWithAuth(req: SipRequest, timeoutMs = 3000): Promise<SipResponse> {
    this.lastSent = req;
    await this.send(req);
    let res = await this.waitForResponse(req, 200, timeoutMs);
    if (req.method === 'INVITE' && res.status >= 300) await this.ackNon2xx(req, res);
    if ((res.status === 401 || res.status === 407) && this.opts.password !== undefined) {
      const authed = this.withCredentials(req, res);
      this.lastSent = authed;
      await this.send(authed);
      res = await this.waitForResponse(authed, 200, timeoutMs);
      if (req.method === 'INVITE' && res.status >= 300) await this.ackNon2xx(authed, res);
    }
    return res;
  }

  /** The request last sent by sendWithAuth (the authenticated copy after a challenge). */
  lastSent: SipRequest | undefined;

  /** The challenges of a 401/407 in the server's order. */
  challenges(res: SipResponse): DigestChallenge[] {
    const name = res.status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate';
    const out: DigestChallenge[] = [];
    for (const h of res.headers) {
      if (h.name.toLowerCase() !== name.toLowerCase()) continue;
      const c = parseDigestChallenge(h.value);
      if (!isParseError(c)) out.push(c);
    }
    return out;
  }

  /** A copy of `req` carrying credentials for the challenge in `res` (new branch, next CSeq). */
  withCredentials(req: SipRequest, res: SipResponse, password = this.opts.password ?? ''): SipRequest {
    const all = this.challenges(res);
    const preferred = this.opts.preferAlgorithm ? all.find((c) => (c.algorithm ?? 'MD5').toUpperCase() === this.opts.preferAlgorithm) : undefined;
    const challenge = preferred ?? selectDigestChallenge(all);
    if (!challenge) throw new Error(`no usable challenge in ${res.status}`);
    const authorization = digestClientAuthorization({
      challenge,
      method: req.method,
      uri: req.uri,
      username: this.opts.user ?? 'anonymous',
      password,
      cnonce: randomToken(8),
      nc: 1,
    });
    const copy = createRequest({ method: req.method, uri: req.uri, headers: req.headers.map((h) => ({ ...h })), body: req.body });
    setHeader(copy, 'Via', this.via());
    setHeader(copy, 'CSeq', `${this.seq++} ${req.method}`);
    setHeader(copy, res.status === 407 ? 'Proxy-Authorization' : 'Authorization', authorization);
    return copy;
  }

  /** ACK for a non-2xx final response: same branch as the INVITE (RFC 3261 17.1.1.3). */
  async ackNon2xx(invite: SipRequest, res: SipResponse): Promise<void> {
    const headers: HeaderField[] = [
      { name: 'Via', value: getHeader(invite, 'Via') ?? '' },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: getHeader(invite, 'From') ?? '' },
      { name: 'To', value: getHeader(res, 'To') ?? '' },
      { name: 'Call-ID', value: getHeader(invite, 'Call-ID') ?? '' },
      { name: 'CSeq', value: `${cseq(invite)?.seq ?? 1} ACK` },
    ];
    for (const r of getHeaderValues(invite, 'Route')) headers.push({ name: 'Route', value: r });
    await this.send(createRequest({ method: 'ACK', uri: invite.uri, headers }));
  }

  /** The dialog a 2xx (or 18x with tag) to our INVITE creates (UAC side). */
  dialogFromResponse(invite: SipRequest, res: SipResponse): ClientDialog {
    return {
      callId: getHeader(invite, 'Call-ID') ?? '',
      localTag: tagOf(getHeader(invite, 'From')) ?? '',
      remoteTag: tagOf(getHeader(res, 'To')) ?? '',
      localUri: uriOf(getHeader(invite, 'From')) ?? '',
      remoteUri: uriOf(getHeader(invite, 'To')) ?? '',
      remoteTarget: uriOf(getHeader(res, 'Contact')) ?? invite.uri,
      routeSet: getHeaderValues(res, 'Record-Route').reverse(),
      localSeq: cseq(invite)?.seq ?? 1,
    };
  }

  /** The dialog we create by answering an INVITE with `toTag` (UAS side). */
  dialogFromRequest(invite: SipRequest, toTag: string): ClientDialog {
    return {
      callId: getHeader(invite, 'Call-ID') ?? '',
      localTag: toTag,
      remoteTag: tagOf(getHeader(invite, 'From')) ?? '',
      localUri: uriOf(getHeader(invite, 'To')) ?? '',
      remoteUri: uriOf(getHeader(invite, 'From')) ?? '',
      remoteTarget: uriOf(getHeader(invite, 'Contact')) ?? '',
      routeSet: getHeaderValues(invite, 'Record-Route'),
      localSeq: 100,
    };
  }

  /** A request inside the dialog (BYE, re-INVITE...); ACK reuses the INVITE's CSeq number. */
  inDialog(d: ClientDialog, method: string, opts: { seq?: number; body?: Buffer | string } = {}): SipRequest {
    const seq = method === 'ACK' ? (opts.seq ?? d.localSeq) : (opts.seq ?? ++d.localSeq);
    const headers: HeaderField[] = [
      { name: 'Via', value: this.via() },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: `<${d.localUri}>;tag=${d.localTag}` },
      { name: 'To', value: `<${d.remoteUri}>;tag=${d.remoteTag}` },
      { name: 'Call-ID', value: d.callId },
      { name: 'CSeq', value: `${seq} ${method}` },
    ];
    for (const r of d.routeSet) headers.push({ name: 'Route', value: r });
    const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
    if (body && body.length > 0) headers.push({ name: 'Content-Type', value: 'application/sdp' });
    return createRequest({ method, uri: d.remoteTarget, headers, ...(body ? { body } : {}) });
  }

  /** Answers a request the server sent us (18x/2xx get our Contact). Returns the response. */
  async respond(req: SipRequest, status: number, opts: { toTag?: string; reason?: string; body?: Buffer | string; headers?: HeaderField[] } = {}): Promise<SipResponse> {
    const headers: HeaderField[] = [];
    if (status > 100 && status < 300 && req.method === 'INVITE') headers.push({ name: 'Contact', value: `<${this.contactUri()}>` });
    headers.push(...(opts.headers ?? []));
    const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
    if (body && body.length > 0) headers.push({ name: 'Content-Type', value: 'application/sdp' });
    const res = createResponse(req, status, opts.reason, { ...(opts.toTag ? { toTag: opts.toTag } : {}), headers, ...(body ? { body } : {}) });
    const src = this.log.find((r) => r.message === req)?.from ?? { address: this.serverHost, port: this.serverPort };
    await this.sendTo(res, src);
    return res;
  }

  /** Closes the socket or connection; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waiters.clear();
    if (this.udp) {
      const s = this.udp;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    if (this.tcp) this.tcp.destroy();
    if (this.ws) {
      const ws = this.ws;
      if (ws.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 500);
        ws.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        ws.close(1000);
      });
    }
  }
}

/** Same Call-ID and CSeq (number and method). */
export function isResponseTo(res: SipResponse, req: SipRequest): boolean {
  const a = cseq(res);
  const b = cseq(req);
  return getHeader(res, 'Call-ID') === getHeader(req, 'Call-ID') && a !== undefined && b !== undefined && a.seq === b.seq && a.method === b.method;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 50 ms until it returns true; rejects with `what` after timeoutMs. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** A minimal SDP offer/answer body. */
export function sdp(address: string, port: number, sessionId = Math.floor(Math.random() * 1e9)): string {
  return [
    'v=0',
    `o=- ${sessionId} 1 IN IP4 ${address}`,
    's=-',
    `c=IN IP4 ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

/**
 * A browser-like WebRTC answer (RFC 8829 shape: ICE credentials, a DTLS fingerprint, rtcp-mux):
 * what a WebSocket client answers to the WebRTC offer Atende makes it. No DTLS ever runs behind
 * it; it is for signalling tests.
 */
export function webrtcAnswerSdp(address: string, port: number, sessionId = Math.floor(Math.random() * 1e9)): string {
  return [
    'v=0',
    `o=- ${sessionId} 2 IN IP4 ${address}`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    `m=audio ${port} UDP/TLS/RTP/SAVPF 8 101`,
    `c=IN IP4 ${address}`,
    'a=mid:0',
    'a=ice-ufrag:Tst1',
    'a=ice-pwd:testtesttesttesttesttest',
    'a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99',
    'a=setup:active',
    'a=rtcp-mux',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}
