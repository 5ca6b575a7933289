import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options?: { type: 'major' | 'minor' }) => void;
let gcOfThisThread: Gc | undefined;

/**
 * V8's `gc`, without starting Node with --expose-gc (the flag only exposes it to new contexts).
 * Each new context is a heap of its own objects: one per thread, shared by every caller.
 */
export function exposedGc(): Gc {
  if (gcOfThisThread === undefined) {
    setFlagsFromString('--expose-gc');
    gcOfThisThread = runInNewContext('gc') as Gc;
  }
  return gcOfThisThread;
}
