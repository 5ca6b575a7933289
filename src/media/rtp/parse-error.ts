/** Why a media packet could not be read. Wire input never throws: parsers return this instead. */
export interface MediaParseError {
  readonly type: 'parse-error';
  readonly reason: string;
}

/** Builds a parse error (callers on hot paths keep frozen constants instead). */
export function mediaParseError(reason: string): MediaParseError {
  return { type: 'parse-error', reason };
}

export function isMediaParseError(x: unknown): x is MediaParseError {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'parse-error';
}
