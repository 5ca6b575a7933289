/** What a DTMF wire parser returns instead of throwing (same shape as the SIP layer's ParseError). */
export interface DtmfParseError {
  readonly type: 'parse-error';
  readonly reason: string;
}

export function dtmfParseError(reason: string): DtmfParseError {
  return { type: 'parse-error', reason };
}

export function isDtmfParseError(x: unknown): x is DtmfParseError {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'parse-error';
}
