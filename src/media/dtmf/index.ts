export {
  type DtmfDigit,
  FLASH_EVENT_CODE,
  DTMF_ROW_HZ,
  DTMF_COLUMN_HZ,
  dtmfDigitOfEvent,
  dtmfEventOfDigit,
  toDtmfDigit,
  dtmfDigitAt,
  dtmfFrequencies,
} from './dtmf-event.js';
export { type DtmfParseError, dtmfParseError, isDtmfParseError } from './parse-error.js';
export {
  type TelephoneEvent,
  TELEPHONE_EVENT_BLOCK_BYTES,
  MAX_EVENT_DURATION,
  telephoneEventCount,
  readTelephoneEvent,
  parseTelephoneEvents,
  writeTelephoneEvent,
  serializeTelephoneEvents,
} from './telephone-event.js';
export {
  type TelephoneEventPacket,
  type Rfc4733Output,
  type Rfc4733ReceiverOptions,
  type Rfc4733ReceiverStats,
  Rfc4733Receiver,
} from './rfc4733-receiver.js';
export { type Rfc4733SenderOptions, type TelephoneEventSendPacket, Rfc4733Sender } from './rfc4733-sender.js';
export { goertzelCoefficient, goertzelPower, goertzelFinish, meanSquare } from './goertzel.js';
export { dbm0ToPeak, powerToDbm0 } from './dbm0.js';
export { type InbandDtmfDetectorOptions, type InbandDigit, InbandDtmfDetector } from './inband-dtmf-detector.js';
export { type SipInfoDtmf, parseDtmfRelayBody, parseDtmfBody, formatDtmfRelayBody } from './sip-info-dtmf.js';
export { type DigitSource, type SourcedDigit, type DigitStreamOptions, DigitStream } from './digit-stream.js';
