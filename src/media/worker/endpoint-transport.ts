/**
 * Opens the transport a createEndpoint command asks for: plain UDP, SDES-SRTP over UDP (our key
 * generated here, in the worker, and returned for a=crypto), or WebRTC (ICE-lite + DTLS-SRTP on
 * one rtcp-muxed port, returning what a=ice-ufrag/ice-pwd/candidate/fingerprint/setup need).
 */
import type { Clock, RandomSource } from '../../core/index.js';
import { DEFAULT_SDES_SUITE, SrtpRtpTransport, UdpRtpTransport, type RtpTransport } from '../endpoint/index.js';
import { sharedDtlsCertificate } from '../webrtc/dtls/index.js';
import { WebRtcTransport, type WebRtcTransportEvent } from '../webrtc/session/index.js';
import type { CreateEndpointCommand, EndpointBinding } from './protocol.js';

export interface OpenedTransport {
  transport: RtpTransport;
  /** The kind-specific fields of the reply (crypto, ice, candidate, dtls). */
  binding: Pick<EndpointBinding, 'crypto' | 'ice' | 'candidate' | 'dtls'>;
}

export interface EndpointTransportContext {
  clock: Clock;
  random: RandomSource;
  latch: { windowMs: number; windowPackets: number };
  /** Where a WebRTC transport's ice/dtls events go. */
  emit: (event: WebRtcTransportEvent) => void;
}

/** Binds the command's transport; rejects with BindError, or RangeError for a bad kind or suite. */
export async function openEndpointTransport(c: CreateEndpointCommand, ctx: EndpointTransportContext): Promise<OpenedTransport> {
  switch (c.kind) {
    case 'rtp':
      return { transport: await openUdp(c, ctx, c.rtcpMux === true), binding: {} };
    case 'srtp': {
      // Checked before binding, so an unknown suite costs no socket.
      const local = SrtpRtpTransport.generateLocalKey(c.srtpSuite ?? DEFAULT_SDES_SUITE, ctx.random);
      const transport = new SrtpRtpTransport(await openUdp(c, ctx, c.rtcpMux === true), local);
      return { transport, binding: { crypto: transport.localKey } };
    }
    case 'webrtc': {
      const certificate = sharedDtlsCertificate(ctx.clock, ctx.random);
      const transport = await WebRtcTransport.open({
        localAddress: c.localAddress, port: c.port, clock: ctx.clock, random: ctx.random, certificate, emit: ctx.emit,
      });
      const { ufrag, pwd } = transport.localIce;
      return {
        transport,
        binding: {
          ice: { ufrag, pwd, lite: true },
          candidate: { ...transport.candidate },
          dtls: { fingerprint: { algorithm: 'sha-256', value: transport.fingerprint }, setup: 'passive' },
        },
      };
    }
    default:
      throw new RangeError(`endpoint kind ${String((c as { kind?: unknown }).kind)} is not supported`);
  }
}

function openUdp(c: CreateEndpointCommand, ctx: EndpointTransportContext, rtcpMux: boolean): Promise<UdpRtpTransport> {
  return UdpRtpTransport.open({ localAddress: c.localAddress, port: c.port, rtcpMux, clock: ctx.clock, latch: ctx.latch });
}
