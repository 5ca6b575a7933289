import { createHmac, timingSafeEqual } from 'node:crypto';
import { certificatePublicKey } from './certificate.js';
import { HandshakeType, serializeHandshake } from './handshake-fragment.js';
import { AlertDescription } from './handshake-host.js';
import type { FlightItem, HandshakeHost } from './handshake-host.js';
import { HandshakeSide } from './handshake-side.js';
import {
  CipherSuite,
  ExtensionType,
  parseClientHello,
  parseU16List,
  parseUseSrtp,
  serializeHelloVerifyRequest,
  serializeServerHello,
  serializeU16List,
  serializeUseSrtp,
} from './hello-messages.js';
import type { ClientHello, Extensions } from './hello-messages.js';
import { generateEphemeralKey, NamedGroup, SUPPORTED_GROUPS } from './key-agreement.js';
import type { EphemeralKey } from './key-agreement.js';
import {
  ClientCertificateType,
  parseCertificate,
  parseClientKeyExchange,
  parseDigitallySigned,
  serializeCertificate,
  serializeCertificateRequest,
  serializeEcdhParams,
  serializeServerKeyExchange,
} from './key-exchange-messages.js';
import { keyBlock, masterSecret, transcriptHash, verifyData } from './prf.js';
import { KEY_BLOCK_LENGTH } from './record-protection.js';
import { DTLS_1_0, DTLS_1_2 } from './record-layer.js';
import { signEcdsaSha256, SignatureScheme, VERIFY_SCHEMES, verifySignature } from './signature-scheme.js';

export type ServerHandshakeState =
  | 'awaiting-client-hello'
  | 'awaiting-certificate'
  | 'awaiting-client-key-exchange'
  | 'awaiting-certificate-verify'
  | 'awaiting-finished'
  | 'done'
  | 'failed';

/** The server side of the DTLS 1.2 full handshake with mutual authentication (RFC 6347 4.2.4 flights 2, 4, 6). */
export class ServerHandshake extends HandshakeSide<ServerHandshakeState> {
  state: ServerHandshakeState = 'awaiting-client-hello';
  private ephemeral: EphemeralKey | undefined;

  constructor(
    host: HandshakeHost,
    /** Secret for stateless cookies (RFC 6347 4.2.1), kept by the caller so it can rotate. */
    private readonly cookieSecret: Buffer,
  ) {
    super(host);
  }

  start(): void {
    // The server waits for a ClientHello.
  }

  handleMessage(msgType: number, messageSeq: number, body: Buffer, epoch: number, recordSeq: number): void {
    const full = serializeHandshake(msgType, messageSeq, body);
    // Only Finished travels under the new epoch; anything else there is a protocol violation.
    if ((msgType === HandshakeType.finished) !== (epoch === 1)) {
      return this.fail(AlertDescription.unexpectedMessage, `handshake message ${msgType} in epoch ${epoch}`);
    }
    switch (this.state) {
      case 'awaiting-client-hello':
        if (msgType === HandshakeType.clientHello) return this.onClientHello(body, messageSeq, recordSeq, full);
        return;
      case 'awaiting-certificate':
        if (msgType === HandshakeType.certificate) return this.onCertificate(body, full);
        break;
      case 'awaiting-client-key-exchange':
        if (msgType === HandshakeType.clientKeyExchange) return this.onClientKeyExchange(body, full);
        break;
      case 'awaiting-certificate-verify':
        if (msgType === HandshakeType.certificateVerify) return this.onCertificateVerify(body, full);
        break;
      case 'awaiting-finished':
        if (msgType === HandshakeType.finished) return this.onFinished(body, full);
        break;
      case 'done':
      case 'failed':
        return;
    }
    this.fail(AlertDescription.unexpectedMessage, `handshake message ${msgType} in state ${this.state}`);
  }

  private cookieFor(hello: ClientHello): Buffer {
    // Bound to the hello's random and offer, so a cookie cannot be replayed with another hello.
    return createHmac('sha256', this.cookieSecret)
      .update(hello.random)
      .update(hello.sessionId)
      .update(Buffer.from(hello.cipherSuites.map((s) => s.toString(16)).join(',')))
      .digest()
      .subarray(0, 20);
  }

  private onClientHello(body: Buffer, messageSeq: number, recordSeq: number, full: Buffer): void {
    const hello = parseClientHello(body);
    // Before the cookie exchange the server keeps no state: malformed hellos are dropped silently.
    if (!hello) return;
    const cookie = this.cookieFor(hello);
    if (hello.cookie.length !== cookie.length || !timingSafeEqual(hello.cookie, cookie)) {
      this.host.sendHelloVerifyRequest(serializeHelloVerifyRequest(DTLS_1_0, cookie), messageSeq, recordSeq);
      return;
    }
    // DTLS versions count down: 1.2 is 0xfefd, 1.0 is 0xfeff.
    if (hello.clientVersion > DTLS_1_2) return this.fail(AlertDescription.protocolVersion, 'client does not offer DTLS 1.2');
    if (!hello.cipherSuites.includes(CipherSuite.ecdheEcdsaAes128GcmSha256)) {
      return this.fail(AlertDescription.handshakeFailure, 'no shared cipher suite');
    }
    if (!hello.compressionMethods.includes(0)) return this.fail(AlertDescription.handshakeFailure, 'no null compression');
    const ext = hello.extensions;
    const groupsExt = ext.get(ExtensionType.supportedGroups);
    const groups = groupsExt ? parseU16List(groupsExt) : [NamedGroup.secp256r1];
    const group = SUPPORTED_GROUPS.find((g) => groups?.includes(g));
    if (group === undefined) return this.fail(AlertDescription.handshakeFailure, 'no shared group');
    const sigExt = ext.get(ExtensionType.signatureAlgorithms);
    if (sigExt && !parseU16List(sigExt)?.includes(SignatureScheme.ecdsaSecp256r1Sha256)) {
      return this.fail(AlertDescription.handshakeFailure, 'client does not accept ecdsa_secp256r1_sha256');
    }
    const srtpExt = ext.get(ExtensionType.useSrtp);
    const offered = srtpExt ? parseUseSrtp(srtpExt) : undefined;
    const profile = this.host.srtpProfiles.find((p) => offered?.profiles.includes(p));
    if (profile === undefined) return this.fail(AlertDescription.handshakeFailure, 'no shared SRTP protection profile');
    this.srtpProfile = profile;
    // RFC 7627: used whenever offered; a peer without it gets the legacy master secret.
    this.extendedMasterSecret = ext.has(ExtensionType.extendedMasterSecret);
    this.clientRandom = Buffer.from(hello.random);
    this.serverRandom = this.host.randomBytes(32);
    this.ephemeral = generateEphemeralKey(group);
    if (!this.ephemeral) return this.fail(AlertDescription.internalError, 'group not implemented');

    this.transcript.push(full);
    this.sendSeq = messageSeq;
    this.host.expectMessageSeq(messageSeq + 1);
    this.host.sendFlight(this.buildFlight4(hello, ext), false);
    this.state = 'awaiting-certificate';
  }

  private buildFlight4(hello: ClientHello, clientExt: Extensions): FlightItem[] {
    const ext: Extensions = new Map();
    const renegotiation = clientExt.get(ExtensionType.renegotiationInfo);
    if (renegotiation || hello.cipherSuites.includes(CipherSuite.emptyRenegotiationInfoScsv)) {
      ext.set(ExtensionType.renegotiationInfo, Buffer.from([0]));
    }
    if (this.extendedMasterSecret) ext.set(ExtensionType.extendedMasterSecret, Buffer.alloc(0));
    ext.set(ExtensionType.useSrtp, serializeUseSrtp([this.srtpProfile]));
    if (clientExt.has(ExtensionType.ecPointFormats)) ext.set(ExtensionType.ecPointFormats, Buffer.from([1, 0]));
    const eph = this.ephemeral as EphemeralKey;
    const params = serializeEcdhParams(eph.group, eph.publicKey);
    const signed = signEcdsaSha256(this.host.certificate.privateKey, Buffer.concat([this.clientRandom, this.serverRandom, params]));
    const bodies: [number, Buffer][] = [
      [
        HandshakeType.serverHello,
        serializeServerHello({
          serverVersion: DTLS_1_2,
          random: this.serverRandom,
          sessionId: Buffer.alloc(0),
          cipherSuite: CipherSuite.ecdheEcdsaAes128GcmSha256,
          compressionMethod: 0,
          extensions: ext,
        }),
      ],
      [HandshakeType.certificate, serializeCertificate([this.host.certificate.der])],
      [HandshakeType.serverKeyExchange, serializeServerKeyExchange(params, SignatureScheme.ecdsaSecp256r1Sha256, signed)],
      // WebRTC authenticates both ends (RFC 8827 6.5): ask for the client's certificate.
      [
        HandshakeType.certificateRequest,
        serializeCertificateRequest([ClientCertificateType.ecdsaSign, ClientCertificateType.rsaSign], VERIFY_SCHEMES),
      ],
      [HandshakeType.serverHelloDone, Buffer.alloc(0)],
    ];
    return bodies.map(([msgType, body]) => this.outgoing(msgType, body, 0));
  }

  private onCertificate(body: Buffer, full: Buffer): void {
    const chain = parseCertificate(body);
    if (!chain) return this.fail(AlertDescription.decodeError, 'malformed Certificate');
    const leaf = chain[0];
    if (!leaf) return this.fail(AlertDescription.handshakeFailure, 'client sent no certificate');
    this.peerKey = certificatePublicKey(leaf);
    if (!this.peerKey) return this.fail(AlertDescription.badCertificate, 'unparseable client certificate');
    if (!this.host.acceptsPeerCertificate(leaf)) {
      return this.fail(AlertDescription.badCertificate, 'client certificate does not match the SDP fingerprint');
    }
    this.peerCertificate = Buffer.from(leaf);
    this.transcript.push(full);
    this.state = 'awaiting-client-key-exchange';
  }

  private onClientKeyExchange(body: Buffer, full: Buffer): void {
    const point = parseClientKeyExchange(body);
    const preMaster = point ? this.ephemeral?.computeSecret(point) : undefined;
    if (!preMaster) return this.fail(AlertDescription.illegalParameter, 'invalid ECDHE public key');
    this.transcript.push(full);
    // RFC 7627 4: the session hash covers the transcript through ClientKeyExchange.
    const sessionHash = this.extendedMasterSecret ? transcriptHash(this.transcript) : undefined;
    this.master = masterSecret(preMaster, this.clientRandom, this.serverRandom, sessionHash);
    this.host.installKeys(keyBlock(this.master, this.clientRandom, this.serverRandom, KEY_BLOCK_LENGTH));
    this.state = 'awaiting-certificate-verify';
  }

  private onCertificateVerify(body: Buffer, full: Buffer): void {
    const signed = parseDigitallySigned(body);
    if (!signed) return this.fail(AlertDescription.decodeError, 'malformed CertificateVerify');
    const ok =
      VERIFY_SCHEMES.includes(signed.scheme) &&
      this.peerKey !== undefined &&
      verifySignature(signed.scheme, this.peerKey, Buffer.concat(this.transcript), signed.signature);
    if (!ok) return this.fail(AlertDescription.decryptError, 'CertificateVerify signature does not verify');
    this.transcript.push(full);
    this.state = 'awaiting-finished';
  }

  private onFinished(body: Buffer, full: Buffer): void {
    const expected = verifyData(this.master, 'client', transcriptHash(this.transcript));
    if (body.length !== expected.length || !timingSafeEqual(body, expected)) {
      return this.fail(AlertDescription.decryptError, 'client Finished does not verify');
    }
    this.transcript.push(full);
    const serverVerify = verifyData(this.master, 'server', transcriptHash(this.transcript));
    const finished = this.outgoing(HandshakeType.finished, serverVerify, 1);
    this.host.sendFlight([{ kind: 'change-cipher-spec', epoch: 0 }, finished], true);
    this.succeed();
  }
}
