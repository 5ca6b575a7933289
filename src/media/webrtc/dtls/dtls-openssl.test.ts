import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cryptoRandom, systemClock } from '../../../core/index.js';
import { generateDtlsCertificate } from './certificate.js';
import { DtlsTransport } from './dtls-transport.js';
import type { DtlsConnected, DtlsError, DtlsRole } from './dtls-transport.js';

// Interop with OpenSSL's DTLS 1.2 (the acceptance test): openssl is a real, independent peer.
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

interface Run {
  connected?: DtlsConnected;
  error?: DtlsError;
  closed: boolean;
  output: string;
  exitCode: number | null;
}

/** Binds a UDP socket and attaches one DtlsTransport to the first peer that speaks. */
function udpTransport(role: DtlsRole, peerFingerprint: string, run: Run, remote?: { port: number }): Promise<{ socket: Socket; transport: DtlsTransport }> {
  const socket = createSocket('udp4');
  let peer: { address: string; port: number } | undefined = remote ? { address: '127.0.0.1', port: remote.port } : undefined;
  const transport = new DtlsTransport({
    role,
    certificate: generateDtlsCertificate(systemClock, cryptoRandom),
    clock: systemClock,
    random: cryptoRandom,
    send: (d) => {
      if (peer) socket.send(d, peer.port, peer.address);
    },
    remoteFingerprint: { algorithm: 'sha-256', value: peerFingerprint },
    onConnected: (c) => {
      run.connected = c;
    },
    onClose: (e) => {
      run.closed = true;
      if (e) run.error = e;
    },
  });
  socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    peer ??= { address: rinfo.address, port: rinfo.port };
    transport.handleDatagram(msg);
  });
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve({ socket, transport })));
}

/**
 * Runs openssl to completion. s_client shuts down (close_notify) when its stdin ends, so its stdin
 * ends at once; s_server quits on end of input too, so it keeps stdin open until `stdinOpen` settles.
 */
function runOpenssl(args: string[], run: Run, stdinOpen: Promise<unknown> = Promise.resolve(), timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    void stdinOpen.then(() => child.stdin.end());
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (run.output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (run.output += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      run.exitCode = code;
      resolve();
    });
  });
}

function keyingMaterial(output: string): string | undefined {
  return /Keying material: ([0-9A-F]+)/.exec(output)?.[1];
}

describe.skipIf(!hasOpenssl)('DTLS-SRTP interop with openssl', () => {
  let dir = '';
  let certPath = '';
  let keyPath = '';
  let opensslFingerprint = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'atende-dtls-'));
    certPath = join(dir, 'cert.pem');
    keyPath = join(dir, 'key.pem');
    const gen = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=openssl-peer',
    ]);
    expect(gen.status).toBe(0);
    opensslFingerprint = new X509Certificate(readFileSync(certPath)).fingerprint256;
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const clientVariants: [string, string[], RegExp][] = [
    ['default offer', [], /Server Temp Key: X25519/],
    ['-cipher ECDHE-ECDSA-AES128-GCM-SHA256', ['-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256'], /Server Temp Key: X25519/],
    ['P-256 key exchange', ['-curves', 'prime256v1'], /Server Temp Key: ECDH, prime256v1/],
  ];

  for (const [name, extra, keyExchange] of clientVariants) {
    it(`serves openssl s_client (${name}) and both export the same SRTP keying material`, async () => {
      const run: Run = { closed: false, output: '', exitCode: null };
      const { socket, transport } = await udpTransport('server', opensslFingerprint, run);
      try {
        const port = socket.address().port;
        await runOpenssl([
          's_client', '-dtls1_2', '-connect', `127.0.0.1:${port}`, '-use_srtp', 'SRTP_AES128_CM_SHA1_80',
          '-cert', certPath, '-key', keyPath, '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '60', ...extra,
        ], run);
        expect(run.error).toBeUndefined();
        expect(run.connected?.srtp.profileName).toBe('SRTP_AES128_CM_HMAC_SHA1_80');
        expect(run.output).toMatch(keyExchange);
        expect(run.output).toContain('Cipher is ECDHE-ECDSA-AES128-GCM-SHA256');
        expect(run.connected?.remoteFingerprint).toBe(opensslFingerprint);
        expect(run.output).toContain('SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80');
        expect(run.output).toMatch(/Extended master secret: yes/);
        expect(keyingMaterial(run.output)).toBe(run.connected?.srtp.material.toString('hex').toUpperCase());
        // s_client ends with close_notify when its stdin closes.
        expect(run.closed).toBe(true);
      } finally {
        transport.close();
        socket.close();
      }
    });
  }

  it('refuses an openssl client whose certificate does not match the SDP fingerprint', async () => {
    const run: Run = { closed: false, output: '', exitCode: null };
    const { socket, transport } = await udpTransport('server', '00:'.repeat(31) + '00', run);
    try {
      await runOpenssl([
        's_client', '-dtls1_2', '-connect', `127.0.0.1:${socket.address().port}`, '-use_srtp', 'SRTP_AES128_CM_SHA1_80',
        '-cert', certPath, '-key', keyPath,
      ], run);
      expect(run.connected).toBeUndefined();
      expect(run.error?.code).toBe('dtls_handshake_failed');
      expect(run.output).toMatch(/alert bad certificate/i);
      expect(keyingMaterial(run.output)).toBeUndefined();
    } finally {
      transport.close();
      socket.close();
    }
  });

  it('connects as a client to openssl s_server with a cookie exchange and mutual authentication', async () => {
    // Find a free port by binding and releasing one; s_server binds it right after.
    const probe = createSocket('udp4');
    const port = await new Promise<number>((resolve) => probe.bind(0, '127.0.0.1', () => resolve(probe.address().port)));
    probe.close();
    const server: Run = { closed: false, output: '', exitCode: null };
    let releaseStdin = (): void => {};
    const stdinOpen = new Promise<void>((r) => (releaseStdin = r));
    const serverDone = runOpenssl([
      's_server', '-dtls1_2', '-accept', `127.0.0.1:${port}`, '-naccept', '1', '-listen', '-verify', '1',
      '-cert', certPath, '-key', keyPath, '-use_srtp', 'SRTP_AES128_CM_SHA1_80',
      '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '60',
    ], server, stdinOpen);
    await new Promise((r) => setTimeout(r, 500));
    const run: Run = { closed: false, output: '', exitCode: null };
    const { socket, transport } = await udpTransport('client', opensslFingerprint, run, { port });
    try {
      transport.start();
      for (let i = 0; i < 100 && !run.connected && !run.closed; i++) await new Promise((r) => setTimeout(r, 50));
      expect(run.error).toBeUndefined();
      expect(run.connected?.srtp.profileName).toBe('SRTP_AES128_CM_HMAC_SHA1_80');
      transport.close();
      releaseStdin();
      await serverDone;
      expect(server.output).toContain('SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80');
      expect(keyingMaterial(server.output)).toBe(run.connected?.srtp.material.toString('hex').toUpperCase());
    } finally {
      releaseStdin();
      transport.close();
      socket.close();
    }
  });
});
