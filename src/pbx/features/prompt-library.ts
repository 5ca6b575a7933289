import { join } from 'node:path';
import type { PlayItem } from '../../call/index.js';

/** Languages we bundle prompts for; pt-BR first. */
export type PromptLanguage = 'pt-BR' | 'en';

/** Finds bundled prompts by language and name (`prompts/<lang>/<name>.wav`). */
export class PromptLibrary {
  constructor(
    private readonly dir: string,
    readonly language: PromptLanguage = 'pt-BR',
  ) {}

  prompt(name: string): PlayItem {
    return { kind: 'file', path: join(this.dir, this.language, `${name}.wav`) };
  }

  /** The prompts that say a string of keypad digits, one by one. */
  digits(digits: string): PlayItem[] {
    const names: Record<string, string> = { '*': 'star', '#': 'pound' };
    return [...digits].map((d) => this.prompt(`digit-${names[d] ?? d}`));
  }
}
