// Media worker threads and their control protocol (CALL-CONTROL.md, "The media seam").
// The main thread uses MediaWorkerPool; RTP never touches it. Worker entry: media-worker.ts
// (compiled: dist/media/worker/media-worker.js; from sources it starts through tsx, see
// core/thread-entry.ts).
export type {
  ConnectCommand, CreateEndpointCommand, DestroyCommand, DisconnectCommand, EndpointBinding, EndpointId, EndpointKind,
  EndpointOptions, EndpointStats, MediaCommand, MediaCommandOp, MediaCommandResults, MediaDirection, MediaErrorCode,
  MediaErrorInfo, MediaEvent, MediaReply, RemoteDescription, SendDtmfCommand, SetRemoteCommand, StatsCommand, WorkerMessage,
  EchoCommand, EndpointMediaEvent, MixCommand, PlayCommand, PlayDoneReason, PlaySourceSpec, RecordCommand, RecordResult,
  StopPlayCommand, StopRecordCommand, PauseRecordCommand, ResumeRecordCommand, ToneName, UnmixCommand, IceCandidate, IceParameters, RemoteDtlsParameters,
  SdesKeyDescription, SrtpDropCounters, WebRtcLocalDtls, DtmfSource, InbandDtmfMode,
} from './protocol.js';
export { isMediaReply } from './protocol.js';
export {
  MediaWorkerError, MediaWorkerPool, type CreateEndpointRequest, type MediaWorkerPoolOptions, type MixMemberRequest,
  type PlayRequestSpec, type RecordRequest,
} from './media-worker-pool.js';
export { MediaWorkerRuntime, type MediaWorkerRuntimeOptions } from './media-worker-runtime.js';
export { RtpPortAllocator, RtpPortError, parseRtpPortRange, type RtpPortRange } from './rtp-port-allocator.js';
