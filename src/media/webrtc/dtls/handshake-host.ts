import type { DtlsCertificate } from './certificate.js';

/** TLS alert descriptions we send (RFC 5246 7.2). */
export const AlertDescription = {
  closeNotify: 0,
  unexpectedMessage: 10,
  badRecordMac: 20,
  handshakeFailure: 40,
  badCertificate: 42,
  unsupportedCertificate: 43,
  illegalParameter: 47,
  decodeError: 50,
  decryptError: 51,
  protocolVersion: 70,
  internalError: 80,
} as const;

/** One item of an outgoing flight; bytes are built again for every (re)transmission. */
export type FlightItem =
  | { kind: 'handshake'; msgType: number; messageSeq: number; body: Buffer; epoch: number }
  | { kind: 'change-cipher-spec'; epoch: number };

/** What the handshake learned, handed to the transport when the Finished messages check out. */
export interface HandshakeResult {
  masterSecret: Buffer;
  clientRandom: Buffer;
  serverRandom: Buffer;
  srtpProfile: number;
  peerCertificate: Buffer;
}

/** The record layer as the role-specific handshake logic sees it. */
export interface HandshakeHost {
  readonly certificate: DtlsCertificate;
  readonly srtpProfiles: readonly number[];
  randomBytes(n: number): Buffer;
  /** Sends a flight and arms (or, for the final flight, does not arm) the retransmission timer. */
  sendFlight(items: FlightItem[], final: boolean): void;
  /** Sends a HelloVerifyRequest outside any flight, echoing the ClientHello's record sequence number. */
  sendHelloVerifyRequest(body: Buffer, messageSeq: number, recordSeq: number): void;
  /** The next message_seq the reassembler delivers. */
  expectMessageSeq(seq: number): void;
  /** A client's ServerHello settles the version: records switch from DTLS 1.0 to 1.2. */
  useNegotiatedVersion(): void;
  /** Installs the epoch-1 keys from the key block. */
  installKeys(keyBlock: Buffer): void;
  /** False when the remote SDP fingerprint is known and does not match. */
  acceptsPeerCertificate(der: Buffer): boolean;
  complete(result: HandshakeResult): void;
  fail(alert: number, reason: string): void;
}

/** The role-specific half of the handshake. */
export interface HandshakeRole {
  start(): void;
  /** A whole message, in message_seq order, with the epoch it arrived in. */
  handleMessage(msgType: number, messageSeq: number, body: Buffer, epoch: number, recordSeq: number): void;
}
