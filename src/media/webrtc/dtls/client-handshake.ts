import { timingSafeEqual } from 'node:crypto';
import { certificatePublicKey } from './certificate.js';
import { HandshakeType, serializeHandshake } from './handshake-fragment.js';
import { AlertDescription } from './handshake-host.js';
import type { FlightItem, HandshakeHost } from './handshake-host.js';
import { HandshakeSide } from './handshake-side.js';
import {
  CipherSuite,
  ExtensionType,
  parseHelloVerifyRequest,
  parseServerHello,
  parseUseSrtp,
  serializeClientHello,
  serializeU16List,
  serializeUseSrtp,
} from './hello-messages.js';
import type { Extensions } from './hello-messages.js';
import { generateEphemeralKey, SUPPORTED_GROUPS } from './key-agreement.js';
import {
  parseCertificate,
  parseCertificateRequest,
  parseServerKeyExchange,
  serializeCertificate,
  serializeClientKeyExchange,
  serializeDigitallySigned,
} from './key-exchange-messages.js';
import { keyBlock, masterSecret, transcriptHash, verifyData } from './prf.js';
import { DTLS_1_2 } from './record-layer.js';
import { KEY_BLOCK_LENGTH } from './record-protection.js';
import { signEcdsaSha256, SignatureScheme, VERIFY_SCHEMES, verifySignature } from './signature-scheme.js';

export type ClientHandshakeState =
  | 'awaiting-server-hello'
  | 'awaiting-certificate'
  | 'awaiting-server-key-exchange'
  | 'awaiting-server-hello-done'
  | 'awaiting-finished'
  | 'done'
  | 'failed';

/** The client side of the DTLS 1.2 full handshake (RFC 6347 4.2.4 flights 1, 3, 5). */
export class ClientHandshake extends HandshakeSide<ClientHandshakeState> {
  state: ClientHandshakeState = 'awaiting-server-hello';
  private preMaster: Buffer | undefined;
  private ephemeralPublic: Buffer = Buffer.alloc(0);
  private certificateRequested = false;

  constructor(host: HandshakeHost) {
    super(host);
    this.clientRandom = host.randomBytes(32);
  }

  start(): void {
    this.sendClientHello(Buffer.alloc(0));
  }

  private sendClientHello(cookie: Buffer): void {
    const ext: Extensions = new Map([
      [ExtensionType.extendedMasterSecret, Buffer.alloc(0)],
      [ExtensionType.renegotiationInfo, Buffer.from([0])],
      [ExtensionType.supportedGroups, serializeU16List(SUPPORTED_GROUPS)],
      [ExtensionType.ecPointFormats, Buffer.from([1, 0])],
      [ExtensionType.signatureAlgorithms, serializeU16List(VERIFY_SCHEMES)],
      [ExtensionType.useSrtp, serializeUseSrtp(this.host.srtpProfiles)],
    ]);
    const body = serializeClientHello({
      clientVersion: DTLS_1_2,
      random: this.clientRandom,
      sessionId: Buffer.alloc(0),
      cookie,
      cipherSuites: [CipherSuite.ecdheEcdsaAes128GcmSha256],
      compressionMethods: Buffer.from([0]),
      extensions: ext,
    });
    // RFC 6347 4.2.1: the hello before a HelloVerifyRequest is not part of the transcript.
    this.transcript = [];
    this.host.sendFlight([this.outgoing(HandshakeType.clientHello, body, 0)], false);
  }

  handleMessage(msgType: number, messageSeq: number, body: Buffer, epoch: number): void {
    if ((msgType === HandshakeType.finished) !== (epoch === 1)) {
      return this.fail(AlertDescription.unexpectedMessage, `handshake message ${msgType} in epoch ${epoch}`);
    }
    const full = serializeHandshake(msgType, messageSeq, body);
    switch (this.state) {
      case 'awaiting-server-hello':
        if (msgType === HandshakeType.helloVerifyRequest) return this.onHelloVerifyRequest(body);
        if (msgType === HandshakeType.serverHello) return this.onServerHello(body, full);
        break;
      case 'awaiting-certificate':
        if (msgType === HandshakeType.certificate) return this.onCertificate(body, full);
        break;
      case 'awaiting-server-key-exchange':
        if (msgType === HandshakeType.serverKeyExchange) return this.onServerKeyExchange(body, full);
        break;
      case 'awaiting-server-hello-done':
        if (msgType === HandshakeType.certificateRequest) return this.onCertificateRequest(body, full);
        if (msgType === HandshakeType.serverHelloDone) return this.onServerHelloDone(full);
        break;
      case 'awaiting-finished':
        if (msgType === HandshakeType.finished) return this.onFinished(body);
        break;
      case 'done':
      case 'failed':
        return;
    }
    this.fail(AlertDescription.unexpectedMessage, `handshake message ${msgType} in state ${this.state}`);
  }

  private onHelloVerifyRequest(body: Buffer): void {
    const hvr = parseHelloVerifyRequest(body);
    if (!hvr || hvr.cookie.length === 0) return this.fail(AlertDescription.decodeError, 'malformed HelloVerifyRequest');
    this.sendClientHello(Buffer.from(hvr.cookie));
  }

  private onServerHello(body: Buffer, full: Buffer): void {
    const hello = parseServerHello(body);
    if (!hello) return this.fail(AlertDescription.decodeError, 'malformed ServerHello');
    if (hello.serverVersion !== DTLS_1_2) return this.fail(AlertDescription.protocolVersion, 'server did not choose DTLS 1.2');
    if (hello.cipherSuite !== CipherSuite.ecdheEcdsaAes128GcmSha256 || hello.compressionMethod !== 0) {
      return this.fail(AlertDescription.illegalParameter, 'server chose a suite we did not offer');
    }
    const srtpExt = hello.extensions.get(ExtensionType.useSrtp);
    const srtp = srtpExt ? parseUseSrtp(srtpExt) : undefined;
    const profile = srtp?.profiles[0];
    if (!srtp || srtp.profiles.length !== 1 || profile === undefined || !this.host.srtpProfiles.includes(profile)) {
      return this.fail(AlertDescription.illegalParameter, 'server chose no SRTP profile we offered');
    }
    this.srtpProfile = profile;
    this.extendedMasterSecret = hello.extensions.has(ExtensionType.extendedMasterSecret);
    this.serverRandom = Buffer.from(hello.random);
    this.host.useNegotiatedVersion();
    this.transcript.push(full);
    this.state = 'awaiting-certificate';
  }

  private onCertificate(body: Buffer, full: Buffer): void {
    const leaf = parseCertificate(body)?.[0];
    this.peerKey = leaf ? certificatePublicKey(leaf) : undefined;
    if (!leaf || !this.peerKey) return this.fail(AlertDescription.badCertificate, 'server sent no usable certificate');
    if (!this.host.acceptsPeerCertificate(leaf)) {
      return this.fail(AlertDescription.badCertificate, 'server certificate does not match the SDP fingerprint');
    }
    this.peerCertificate = Buffer.from(leaf);
    this.transcript.push(full);
    this.state = 'awaiting-server-key-exchange';
  }

  private onServerKeyExchange(body: Buffer, full: Buffer): void {
    const ske = parseServerKeyExchange(body);
    if (!ske) return this.fail(AlertDescription.decodeError, 'malformed ServerKeyExchange');
    const signed = Buffer.concat([this.clientRandom, this.serverRandom, ske.params]);
    if (!this.peerKey || !VERIFY_SCHEMES.includes(ske.signatureScheme) || !verifySignature(ske.signatureScheme, this.peerKey, signed, ske.signature)) {
      return this.fail(AlertDescription.decryptError, 'ServerKeyExchange signature does not verify');
    }
    const key = SUPPORTED_GROUPS.includes(ske.group) ? generateEphemeralKey(ske.group) : undefined;
    this.preMaster = key?.computeSecret(ske.publicKey);
    if (!key || !this.preMaster) return this.fail(AlertDescription.illegalParameter, 'invalid ECDHE parameters');
    this.ephemeralPublic = key.publicKey;
    this.transcript.push(full);
    this.state = 'awaiting-server-hello-done';
  }

  private onCertificateRequest(body: Buffer, full: Buffer): void {
    const request = parseCertificateRequest(body);
    if (!request) return this.fail(AlertDescription.decodeError, 'malformed CertificateRequest');
    if (!request.schemes.includes(SignatureScheme.ecdsaSecp256r1Sha256)) {
      return this.fail(AlertDescription.handshakeFailure, 'server does not accept ecdsa_secp256r1_sha256');
    }
    this.certificateRequested = true;
    this.transcript.push(full);
  }

  private onServerHelloDone(full: Buffer): void {
    this.transcript.push(full);
    const items: FlightItem[] = [];
    if (this.certificateRequested) items.push(this.outgoing(HandshakeType.certificate, serializeCertificate([this.host.certificate.der]), 0));
    items.push(this.outgoing(HandshakeType.clientKeyExchange, serializeClientKeyExchange(this.ephemeralPublic), 0));
    const sessionHash = this.extendedMasterSecret ? transcriptHash(this.transcript) : undefined;
    this.master = masterSecret(this.preMaster ?? Buffer.alloc(0), this.clientRandom, this.serverRandom, sessionHash);
    this.host.installKeys(keyBlock(this.master, this.clientRandom, this.serverRandom, KEY_BLOCK_LENGTH));
    if (this.certificateRequested) {
      const signature = signEcdsaSha256(this.host.certificate.privateKey, Buffer.concat(this.transcript));
      items.push(this.outgoing(HandshakeType.certificateVerify, serializeDigitallySigned(SignatureScheme.ecdsaSecp256r1Sha256, signature), 0));
    }
    items.push({ kind: 'change-cipher-spec', epoch: 0 });
    items.push(this.outgoing(HandshakeType.finished, verifyData(this.master, 'client', transcriptHash(this.transcript)), 1));
    this.host.sendFlight(items, false);
    this.state = 'awaiting-finished';
  }

  private onFinished(body: Buffer): void {
    const expected = verifyData(this.master, 'server', transcriptHash(this.transcript));
    if (body.length !== expected.length || !timingSafeEqual(body, expected)) {
      return this.fail(AlertDescription.decryptError, 'server Finished does not verify');
    }
    this.succeed();
  }
}
