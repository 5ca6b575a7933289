/** Why a prompt (or a music-on-hold folder) could not be played: returned, never thrown. */
export type PromptErrorCode = 'not-found' | 'unreadable' | 'bad-format' | 'unsupported-rate' | 'empty-folder' | 'bad-tone';

export interface PromptError {
  readonly type: 'prompt-error';
  readonly code: PromptErrorCode;
  readonly path: string;
  readonly message: string;
}

export function promptError(code: PromptErrorCode, path: string, message: string): PromptError {
  return { type: 'prompt-error', code, path, message };
}

export function isPromptError(x: unknown): x is PromptError {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'prompt-error';
}

/** Maps a Node fs error to our codes: a missing path is not-found, anything else unreadable. */
export function promptErrorOfFs(path: string, err: unknown): PromptError {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return promptError(code === 'ENOENT' || code === 'ENOTDIR' ? 'not-found' : 'unreadable', path, message);
}
