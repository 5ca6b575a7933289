import type { RandomSource } from '../core/random.js';
import { hashPassword } from '../auth/index.js';
import type { Store } from '../store/index.js';

/**
 * On first start (no accounts yet) creates the `admin` account with ATENDE_ADMIN_PASSWORD,
 * or with a random password handed to `onGenerated` so the CLI prints it once.
 */
export async function ensureAdministrator(
  store: Store,
  configured: string | undefined,
  random: RandomSource,
  onGenerated?: (password: string) => void,
): Promise<void> {
  if ((await store.users.count()) > 0) return;
  const password = configured ?? random.token(12);
  const created = await store.users.create(
    { username: 'admin', role: 'administrator', passwordHash: await hashPassword(password, random) },
    { actor: 'system', source: 'first-start' },
  );
  if (created && configured === undefined) onGenerated?.(password);
}
