import { z } from 'zod';
import type { ProvisioningIssue } from '../provisioning-issue.js';

const NUMBER_HINT = 'must be a quoted string of digits, e.g. "1001"';

const hex = (length: number) =>
  z
    .string({ invalid_type_error: `must be ${length} hexadecimal characters` })
    .regex(new RegExp(`^[0-9a-fA-F]{${length}}$`), `must be ${length} hexadecimal characters`)
    .transform((v) => v.toLowerCase());

/** Digest HA1 values as `export` writes them; `realm` defaults to the domain. */
const passwordHashesSchema = z
  .object({
    realm: z.string().trim().min(1).optional(),
    md5: hex(32).optional(),
    sha256: hex(64).optional(),
  })
  .strict()
  .refine((h) => h.md5 !== undefined || h.sha256 !== undefined, { message: 'give md5, sha256 or both' });

export const extensionSchema = z
  .object({
    number: z.string({ invalid_type_error: NUMBER_HINT, required_error: 'is required' }).regex(/^[0-9]{1,20}$/, NUMBER_HINT),
    name: z
      .string({ invalid_type_error: 'must be text', required_error: 'is required' })
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters'),
    password: z.string({ invalid_type_error: 'must be text (quote it)' }).min(1, 'must not be empty').optional(),
    passwordHashes: passwordHashesSchema.optional(),
    email: z.string({ invalid_type_error: 'must be an e-mail address' }).trim().email('must be an e-mail address').optional(),
    /** Which of the extension's calls are recorded (default never). */
    recording: z
      .enum(['always', 'never', 'onDemand'], { errorMap: () => ({ message: 'must be always, never or onDemand' }) })
      .optional(),
  })
  .strict();

export type ExtensionEntry = z.output<typeof extensionSchema>;

/** `extensions`: upserted by number; extensions absent from the list are kept (no pruning). */
export const extensionsSchema = z.array(extensionSchema, { invalid_type_error: 'must be a list of extensions' });

/**
 * Checks across entries, run on the raw document so they are reported even when some entry
 * fails its own schema (zod skips refinements on an invalid array).
 */
export function checkExtensionEntries(raw: unknown): ProvisioningIssue[] {
  if (!Array.isArray(raw)) return [];
  const issues: ProvisioningIssue[] = [];
  const firstIndex = new Map<string, number>();
  raw.forEach((entry: unknown, i) => {
    if (entry === null || typeof entry !== 'object') return;
    const e = entry as Record<string, unknown>;
    if (typeof e.number === 'string') {
      const first = firstIndex.get(e.number);
      if (first === undefined) firstIndex.set(e.number, i);
      else issues.push({ path: `extensions[${i}].number`, message: `duplicate extension ${e.number} (also extensions[${first}])` });
    }
    if (e.password !== undefined && e.passwordHashes !== undefined) {
      issues.push({ path: `extensions[${i}].passwordHashes`, message: 'give either password or passwordHashes, not both' });
    }
  });
  return issues;
}
