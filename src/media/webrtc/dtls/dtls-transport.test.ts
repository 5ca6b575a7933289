import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../../../core/index.js';
import { generateDtlsCertificate } from './certificate.js';
import { DtlsTransport } from './dtls-transport.js';
import type { DtlsConnected, DtlsError, DtlsTransportOptions } from './dtls-transport.js';
import { parseRecords } from './record-layer.js';

type Side = 'client' | 'server';

interface Harness {
  clock: ManualClock;
  client: DtlsTransport;
  server: DtlsTransport;
  connected: Partial<Record<Side, DtlsConnected>>;
  closed: Partial<Record<Side, DtlsError | 'clean'>>;
  /** Datagrams each side sent, in order. */
  sent: Record<Side, Buffer[]>;
  /** Delivers queued datagrams until both queues are empty. */
  pump(): void;
  /** Return true to lose a datagram sent by `from`. */
  drop: (from: Side, datagram: Buffer, index: number) => boolean;
  serverFingerprint: string;
  clientFingerprint: string;
}

function harness(overrides: Partial<Record<Side, Partial<DtlsTransportOptions>>> = {}, fingerprints = true): Harness {
  const clock = new ManualClock();
  const serverCert = generateDtlsCertificate(clock, seededRandom(1), 'server');
  const clientCert = generateDtlsCertificate(clock, seededRandom(2), 'client');
  const queues: Record<Side, Buffer[]> = { client: [], server: [] };
  const h = {
    clock,
    connected: {},
    closed: {},
    sent: { client: [], server: [] },
    drop: () => false,
    serverFingerprint: serverCert.fingerprint,
    clientFingerprint: clientCert.fingerprint,
  } as unknown as Harness;
  const make = (role: Side): DtlsTransport =>
    new DtlsTransport({
      role,
      certificate: role === 'server' ? serverCert : clientCert,
      clock,
      random: seededRandom(role === 'server' ? 3 : 4),
      send: (d) => {
        const index = h.sent[role].push(Buffer.from(d)) - 1;
        if (!h.drop(role, d, index)) queues[role].push(Buffer.from(d));
      },
      ...(fingerprints
        ? { remoteFingerprint: { algorithm: 'sha-256', value: role === 'server' ? clientCert.fingerprint : serverCert.fingerprint } }
        : {}),
      onConnected: (c) => {
        h.connected[role] = c;
      },
      onClose: (e) => {
        h.closed[role] = e ?? 'clean';
      },
      ...overrides[role],
    });
  h.client = make('client');
  h.server = make('server');
  h.pump = () => {
    for (let guard = 0; guard < 1000 && (queues.client.length > 0 || queues.server.length > 0); guard++) {
      const fromClient = queues.client.shift();
      if (fromClient) h.server.handleDatagram(fromClient);
      const fromServer = queues.server.shift();
      if (fromServer) h.client.handleDatagram(fromServer);
    }
  };
  return h;
}

/** The handshake message types in a datagram (plaintext records only). */
function handshakeTypes(datagram: Buffer): number[] {
  return parseRecords(datagram)
    .filter((r) => r.contentType === 22 && r.epoch === 0)
    .map((r) => r.fragment.readUInt8(0));
}

function expectMatchingKeys(h: Harness): void {
  const c = h.connected.client;
  const s = h.connected.server;
  expect(c && s).toBeTruthy();
  if (!c || !s) return;
  expect(c.srtp.material).toEqual(s.srtp.material);
  expect(c.srtp.material).toHaveLength(60);
  expect(c.srtp.localMasterKey).toEqual(s.srtp.remoteMasterKey);
  expect(c.srtp.localMasterSalt).toEqual(s.srtp.remoteMasterSalt);
  expect(s.srtp.localMasterKey).toEqual(c.srtp.remoteMasterKey);
  expect(c.srtp.localMasterKey).not.toEqual(c.srtp.remoteMasterKey);
  expect(c.srtp.profileName).toBe('SRTP_AES128_CM_HMAC_SHA1_80');
  expect(s.remoteFingerprint).toBe(h.clientFingerprint);
  expect(c.remoteFingerprint).toBe(h.serverFingerprint);
}

describe('DtlsTransport handshake', () => {
  it('completes a full handshake with a cookie exchange and agrees on the SRTP keys', () => {
    const h = harness();
    h.client.start();
    h.pump();
    expect(h.client.state).toBe('connected');
    expect(h.server.state).toBe('connected');
    expectMatchingKeys(h);
    // Flight 2 is a HelloVerifyRequest; flight 4 starts with ServerHello.
    expect(handshakeTypes(h.sent.server[0] as Buffer)).toEqual([3]);
    expect(handshakeTypes(h.sent.server[1] as Buffer)[0]).toBe(2);
    // The HelloVerifyRequest echoes the hello's record number; ServerHello's must be newer, or the
    // client's replay window drops it (openssl does).
    const hvrSeq = parseRecords(h.sent.server[0] as Buffer)[0]?.sequenceNumber ?? -1;
    const helloSeq = parseRecords(h.sent.client[0] as Buffer)[0]?.sequenceNumber;
    expect(hvrSeq).toBe(helloSeq);
    expect(parseRecords(h.sent.server[1] as Buffer)[0]?.sequenceNumber).toBeGreaterThan(hvrSeq);
    // No retransmission was needed.
    expect(h.sent.server).toHaveLength(3);
    expect(h.sent.client).toHaveLength(3);
    expect(h.clock.pending).toBe(0);
  });

  it('fragments handshake messages to fit a small MTU', () => {
    const h = harness({ client: { mtu: 200 }, server: { mtu: 200 } });
    h.client.start();
    h.pump();
    expectMatchingKeys(h);
    expect(Math.max(...h.sent.server.map((d) => d.length))).toBeLessThanOrEqual(200);
    expect(Math.max(...h.sent.client.map((d) => d.length))).toBeLessThanOrEqual(200);
  });

  it('negotiates the AEAD SRTP profile when both prefer it', () => {
    const h = harness({ client: { srtpProfiles: [0x0007, 0x0001] }, server: { srtpProfiles: [0x0007] } });
    h.client.start();
    h.pump();
    expect(h.connected.server?.srtp.profileName).toBe('SRTP_AEAD_AES_128_GCM');
    expect(h.connected.server?.srtp.material).toHaveLength(56);
    expect(h.connected.client?.srtp.material).toEqual(h.connected.server?.srtp.material);
  });

  it('answers a Chromium-style SRTP offer (0x0007, 0x0008, 0x0001, 0x0002) with our preferred profile', () => {
    const h = harness({ client: { srtpProfiles: [0x0007, 0x0008, 0x0001, 0x0002] } });
    h.client.start();
    h.pump();
    expectMatchingKeys(h);
  });

  it('fails on both sides when the peer certificate does not match the SDP fingerprint', () => {
    const h = harness({ server: { remoteFingerprint: { algorithm: 'sha-256', value: 'AB:'.repeat(31) + 'AB' } } });
    h.client.start();
    h.pump();
    expect(h.connected).toEqual({});
    expect(h.server.state).toBe('failed');
    expect((h.closed.server as DtlsError).code).toBe('dtls_handshake_failed');
    // The client hears the bad_certificate alert.
    expect((h.closed.client as DtlsError).code).toBe('dtls_peer_alert');
    expect(h.clock.pending).toBe(0);
  });

  it('waits for a late SDP fingerprint before reporting the connection', () => {
    const h = harness({}, false);
    h.client.start();
    h.pump();
    expect(h.connected).toEqual({});
    h.server.setRemoteFingerprint('sha-256', h.clientFingerprint.toLowerCase());
    h.client.setRemoteFingerprint('sha-256', h.serverFingerprint);
    expectMatchingKeys(h);
  });
});

describe('DtlsTransport retransmission (RFC 6347 4.2.4) on a manual clock', () => {
  it('recovers a lost flight 4: the client resends its hello after 1 s and the server its flight', () => {
    const h = harness();
    let lost = false;
    h.drop = (from, d) => {
      if (from === 'server' && !lost && handshakeTypes(d)[0] === 2) return (lost = true);
      return false;
    };
    h.client.start();
    h.pump();
    expect(lost).toBe(true);
    expect(h.client.state).toBe('handshaking');
    const sentBefore = h.sent.client.length;
    h.clock.advance(999);
    expect(h.sent.client.length).toBe(sentBefore);
    h.clock.advance(1);
    expect(h.sent.client.length).toBe(sentBefore + 1);
    h.pump();
    expectMatchingKeys(h);
  });

  it('recovers a lost flight 5 through the server timer and a lost flight 6 through the client timer', () => {
    const h = harness();
    const lostFrom: Side[] = [];
    h.drop = (from, d) => {
      // First time each side sends epoch-1 records (flight 5 from the client, flight 6 from the server).
      const encrypted = parseRecords(d).some((r) => r.epoch === 1);
      if (encrypted && !lostFrom.includes(from)) {
        lostFrom.push(from);
        return true;
      }
      return false;
    };
    h.client.start();
    h.pump();
    expect(lostFrom).toEqual(['client']);
    expect(h.server.state).toBe('handshaking');
    h.clock.advance(999);
    expect(h.connected).toEqual({});
    // At 1 s both flight timers fire; the server completes on the resent flight 5, its flight 6 is
    // lost, and the client's next copy of flight 5 (answering the repeated flight 4) makes it resend.
    h.clock.advance(1);
    h.pump();
    expect(lostFrom).toEqual(['client', 'server']);
    expectMatchingKeys(h);
    expect(h.clock.pending).toBe(0);
  });

  it('gives up after the retransmission limit and clears its timer', () => {
    const h = harness({ client: { retransmission: { maxRetransmissions: 3 } } });
    h.drop = () => true;
    h.client.start();
    h.clock.advance(1000 + 2000 + 4000 - 1);
    expect(h.sent.client).toHaveLength(3);
    h.clock.advance(1);
    expect(h.sent.client).toHaveLength(4);
    h.clock.advance(8000 - 1);
    expect(h.closed.client).toBeUndefined();
    h.clock.advance(1);
    expect((h.closed.client as DtlsError).code).toBe('dtls_timeout');
    expect(h.client.state).toBe('failed');
    expect(h.clock.pending).toBe(0);
  });
});

describe('DtlsTransport lifecycle and hostile input', () => {
  it('sends close_notify on close, and close is idempotent', () => {
    const h = harness();
    h.client.start();
    h.pump();
    h.client.close();
    h.client.close();
    h.pump();
    expect(h.closed.client).toBe('clean');
    expect(h.closed.server).toBe('clean');
    expect(h.server.state).toBe('closed');
  });

  it('never throws on random or mutated datagrams, before or during the handshake', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 255 }), (junk, at, value) => {
        const h = harness();
        h.client.start();
        for (const j of junk) h.server.handleDatagram(Buffer.from(j));
        // Mutate one byte of the client's hello and feed it too.
        const hello = Buffer.from(h.sent.client[0] as Buffer);
        hello[at % hello.length] = value;
        h.server.handleDatagram(hello);
        h.pump();
      }),
      { numRuns: 60 },
    );
  });

  it('ignores epoch-1 garbage and replays after the handshake', () => {
    const h = harness();
    h.client.start();
    h.pump();
    const lastFromClient = h.sent.client.at(-1) as Buffer;
    h.server.handleDatagram(lastFromClient);
    const forged = Buffer.from(lastFromClient);
    forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 0xff;
    h.server.handleDatagram(forged);
    expect(h.server.state).toBe('connected');
  });
});
