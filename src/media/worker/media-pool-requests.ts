// What callers of MediaWorkerPool pass it: its options and the shapes of its requests.
import type { Logger } from '../../core/index.js';
import type { RtpPortAllocator, RtpPortRange } from './rtp-port-allocator.js';
import type { EndpointId, EndpointKind, EndpointOptions, PlaySourceSpec } from './protocol.js';

export interface MediaWorkerPoolOptions {
  /** Worker threads (default: the number of CPUs). */
  workers?: number;
  /** RTP port range or a shared allocator (default 20000-29999). */
  ports?: string | RtpPortRange | RtpPortAllocator;
  /** Ports tried when binding fails with EADDRINUSE (default 16). */
  bindAttempts?: number;
  /**
   * RTP port pairs each worker keeps bound per local address for plain-RTP endpoints to come
   * (default 0): such an endpoint is then handed out without a round trip to the worker.
   */
  spareEndpoints?: number;
  logger?: Logger;
}

export interface CreateEndpointRequest {
  localAddress: string;
  kind?: EndpointKind;
  /** Place the new endpoint in the same worker as this one (to connect them later). */
  near?: EndpointId;
  /**
   * Place it in this worker (an index from `pickWorker`): two endpoints to be connected can then
   * be created at the same time instead of one after the other. Ignored with `near`.
   */
  worker?: number;
  /** Bind no RTCP socket: rtcp-mux is offered/required. */
  rtcpMux?: boolean;
  /** 'srtp': the suite of our SDES key (default AES_CM_128_HMAC_SHA1_80). */
  srtpSuite?: string;
  options?: EndpointOptions;
}

/** What to play (pool.play). */
export interface PlayRequestSpec {
  playId: string;
  sources: PlaySourceSpec[];
  loop?: boolean;
  bargeIn?: boolean;
}

/** What to record (pool.record): endpoints of one worker. */
export interface RecordRequest {
  recId: string;
  path: string;
  endpoints: [EndpointId] | [EndpointId, EndpointId];
  layout?: 'stereo' | 'mixed';
  sampleRate?: 8000 | 16000;
}

/** One member of a mix (pool.mix). */
export interface MixMemberRequest {
  endpoint: EndpointId;
  hears: 'all-but-self' | EndpointId[];
}
