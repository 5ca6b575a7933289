import type { KeyObject } from 'node:crypto';
import { serializeHandshake } from './handshake-fragment.js';
import type { FlightItem, HandshakeHost, HandshakeRole } from './handshake-host.js';

/**
 * What the client and the server side of the DTLS 1.2 handshake keep and do alike: the
 * transcript of handshake messages (hashed for Finished and the extended master secret, RFC 5246
 * 7.4.9 and RFC 7627), our next message_seq, what was negotiated, and the two ways a handshake
 * ends: an alert, or the secrets handed to the host for the SRTP keys (RFC 5764 4.2).
 */
export abstract class HandshakeSide<State extends string> implements HandshakeRole {
  abstract state: State | 'done' | 'failed';
  protected transcript: Buffer[] = [];
  protected sendSeq = 0;
  protected clientRandom: Buffer = Buffer.alloc(0);
  protected serverRandom: Buffer = Buffer.alloc(0);
  protected extendedMasterSecret = false;
  protected srtpProfile = 0;
  protected peerCertificate = Buffer.alloc(0);
  protected peerKey: KeyObject | undefined;
  protected master: Buffer = Buffer.alloc(0);

  constructor(protected readonly host: HandshakeHost) {}

  abstract start(): void;
  abstract handleMessage(msgType: number, messageSeq: number, body: Buffer, epoch: number, recordSeq: number): void;

  /** One of our handshake messages, numbered and added to the transcript, for a flight. */
  protected outgoing(msgType: number, body: Buffer, epoch: number): FlightItem {
    const messageSeq = this.sendSeq++;
    this.transcript.push(serializeHandshake(msgType, messageSeq, body));
    return { kind: 'handshake', msgType, messageSeq, body, epoch };
  }

  protected fail(alert: number, reason: string): void {
    this.state = 'failed';
    this.host.fail(alert, reason);
  }

  /** The peer's Finished verified: the handshake is over. */
  protected succeed(): void {
    this.state = 'done';
    this.host.complete({
      masterSecret: this.master,
      clientRandom: this.clientRandom,
      serverRandom: this.serverRandom,
      srtpProfile: this.srtpProfile,
      peerCertificate: this.peerCertificate,
    });
  }
}
