// The media graph of one worker: players, echo, recorders and mixers over its RTP endpoints,
// driven by one drift-free 20 ms media clock. The worker runtime feeds it commands.
export type {
  GraphEvent, MixMemberSpec, PlayDoneReason, PlaySourceSpec, PlaySpec, RecordResult, RecordSpec, ToneName,
} from './graph-types.js';
export { GraphError, MediaGraph, type MediaGraphOptions, type MediaTicked } from './media-graph.js';
export { MediaClock, type MediaClockOptions } from './media-clock.js';
export { MediaTimeline } from './media-timeline.js';
export { PcmFifo } from './pcm-fifo.js';
export { AudioSender } from './audio-sender.js';
export { type AudioSink, EndpointNode, type EndpointNodeHost } from './endpoint-node.js';
export { playSourceOf, toneOf } from './play-source.js';
