import { ConfigError } from '../../core/index.js';

/** One problem in a provisioning file, at a path like `extensions[1].number`. */
export interface ProvisioningIssue {
  path: string;
  message: string;
}

/** The file was not applied: every issue found, each with its path. */
export class ProvisioningError extends ConfigError {}

/** `['extensions', 1, 'number']` -> `extensions[1].number`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(document)' : out;
}
