/**
 * Music on hold from a folder: every .wav file, in name order or shuffled (Fisher-Yates with an
 * injected RandomSource, a new order each pass, never the same file twice in a row across
 * passes), looping until stopped. The next file is loaded while the current one plays, so the
 * change of track has no gap. Files that fail to load are skipped; the folder fails only when a
 * whole pass played nothing.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RandomSource } from '../../core/index.js';
import type { SampleRate } from '../codec/index.js';
import type { PromptSource } from './prompt-cache.js';
import { promptError, promptErrorOfFs, type PromptError } from './prompt-error.js';
import { FileCursor, type CursorStatus, type SourceCursor } from './source-cursor.js';

/** Lists the playable files of a folder (full paths, name order). */
export type FolderLister = (path: string) => Promise<readonly string[] | PromptError>;

/** The .wav files directly in `path`, sorted by name. */
export const listWavFiles: FolderLister = async (path) => {
  try {
    const names = await readdir(path, { withFileTypes: true });
    return names
      .filter((d) => (d.isFile() || d.isSymbolicLink()) && /\.wav$/i.test(d.name))
      .map((d) => d.name)
      .sort()
      .map((name) => join(path, name));
  } catch (err) {
    return promptErrorOfFs(path, err);
  }
};

/** `files` in a random order; `avoidFirst` is not put first when there is a choice. */
export function shuffled(files: readonly string[], random: RandomSource, avoidFirst?: string): string[] {
  const out = files.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = out[i] as string;
    out[i] = out[j] as string;
    out[j] = t;
  }
  if (out.length > 1 && out[0] === avoidFirst) {
    const j = 1 + random.int(out.length - 1);
    out[0] = out[j] as string;
    out[j] = avoidFirst as string;
  }
  return out;
}

export interface FolderCursorDeps {
  readonly prompts: PromptSource;
  readonly sampleRate: SampleRate;
  readonly random: RandomSource;
  readonly list: FolderLister;
}

export class FolderCursor implements SourceCursor {
  private files: readonly string[] | undefined;
  private failure: PromptError | undefined;
  private upcoming: string[] = [];
  private lastPath: string | undefined;
  private current: FileCursor | undefined;
  private prefetched: FileCursor | undefined;
  // Files in a row that gave no audio; a whole pass of them means the folder is unplayable.
  private silentFiles = 0;

  constructor(
    readonly path: string,
    private readonly order: 'name' | 'shuffle',
    private readonly deps: FolderCursorDeps,
  ) {
    deps.list(path).then(
      (r) => {
        if ('type' in r) this.failure = r;
        else if (r.length === 0) this.failure = promptError('empty-folder', path, 'no .wav files');
        else {
          this.files = r;
          this.advance();
        }
      },
      (err: unknown) => {
        this.failure = promptError('unreadable', path, String(err));
      },
    );
  }

  get error(): PromptError | undefined {
    return this.failure;
  }

  get status(): CursorStatus {
    if (this.failure) return 'failed';
    return this.current ? 'ready' : 'loading';
  }

  fill(out: Int16Array, offset: number, n: number): number {
    let written = 0;
    while (written < n && !this.failure) {
      const cur = this.current;
      if (!cur || cur.status === 'loading') break;
      const k = cur.fill(out, offset + written, n - written);
      written += k;
      if (k > 0) this.silentFiles = 0;
      const s = cur.status;
      if (s === 'ended' || s === 'failed') {
        if (k === 0 && ++this.silentFiles >= (this.files?.length ?? 0)) {
          this.failure = cur.error ?? promptError('empty-folder', this.path, 'no file in the folder has audio');
          break;
        }
        this.advance();
      }
    }
    return written;
  }

  rewind(): void {
    // Music on hold never ends, so a looping play never rewinds it.
  }

  private advance(): void {
    const path = this.take();
    this.current = this.prefetched && this.prefetched.path === path ? this.prefetched : this.open(path);
    this.prefetched = this.open(this.peek());
  }

  private open(path: string): FileCursor {
    return new FileCursor(this.deps.prompts, path, this.deps.sampleRate);
  }

  private take(): string {
    this.refill();
    const path = this.upcoming.shift() as string;
    this.lastPath = path;
    return path;
  }

  private peek(): string {
    this.refill();
    return this.upcoming[0] as string;
  }

  private refill(): void {
    if (this.upcoming.length > 0) return;
    const files = this.files as readonly string[];
    this.upcoming = this.order === 'shuffle' ? shuffled(files, this.deps.random, this.lastPath) : files.slice();
  }
}
