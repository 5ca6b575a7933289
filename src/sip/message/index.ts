/** The SIP message layer: parse, serialize, header access, URIs, name-addrs, Vias, CSeq. */
export * from './types.js';
export { parseMessage, DEFAULT_PARSE_LIMITS, findHeadSection } from './message-parser.js';
export type { ParseLimits, HeadSection } from './message-parser.js';
export { frameStreamMessage } from './stream-framing.js';
export type { StreamFrame } from './stream-framing.js';
export { serializeMessage } from './message-serializer.js';
export { canonicalHeaderName, compactHeaderName, isListValuedHeader } from './header-names.js';
export { getHeader, getHeaderValues, setHeader, addHeader, removeHeader, splitHeaderList } from './header-fields.js';
export { parseUri, formatUri, unescapeUriComponent } from './uri.js';
export { parseNameAddr, formatNameAddr } from './name-addr.js';
export { parseVia, formatVia, formatRememberedVia } from './via.js';
export { parseCSeq, formatCSeq } from './cseq.js';
export { parseParams, formatParams } from './header-params.js';
export { topVia, callId, cseq, fromTag, toTag } from './message-accessors.js';
export { createRequest, createResponse } from './message-factory.js';
export { ownedBody, EMPTY_BODY } from './message-body.js';
export { defaultReason } from './reason-phrases.js';
