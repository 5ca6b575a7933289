/** A recording that could not be opened or written: returned, never thrown into the media loop. */
export interface RecorderError {
  readonly type: 'recorder-error';
  readonly code: 'open-failed' | 'write-failed';
  readonly path: string;
  readonly message: string;
}

export function recorderError(code: RecorderError['code'], path: string, err: unknown): RecorderError {
  return { type: 'recorder-error', code, path, message: err instanceof Error ? err.message : String(err) };
}

export function isRecorderError(x: unknown): x is RecorderError {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'recorder-error';
}
