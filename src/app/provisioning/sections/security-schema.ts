import { z } from 'zod';
import { DEFAULT_SECURITY_SETTINGS } from '../../../store/index.js';
import { checkCidr } from '../cidr.js';

const cidr = z.string({ invalid_type_error: 'must be an address block such as "10.0.0.0/8"' }).superRefine((v, ctx) => {
  const r = checkCidr(v.trim());
  if (!r.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: r.message });
});

const count = z.number({ invalid_type_error: 'must be a whole number' }).int('must be a whole number').positive('must be at least 1');

const { bans, flood } = DEFAULT_SECURITY_SETTINGS;

/**
 * `security`: edge policy. A present section is the whole policy: omitted keys take their
 * defaults (bans 5 failures in 600 s ban for 600 s, flood 16 requests per 2 s).
 */
export const securitySchema = z
  .object({
    trusted: z.array(cidr).default([]),
    deny: z.array(cidr).default([]),
    allow: z.array(cidr).default([]),
    bans: z
      .object({
        failures: count.default(bans.failures),
        windowSeconds: count.default(bans.windowSeconds),
        banSeconds: count.default(bans.banSeconds),
      })
      .strict()
      .default({}),
    flood: z
      .object({ requests: count.default(flood.requests), windowSeconds: count.default(flood.windowSeconds) })
      .strict()
      .default({}),
    scannerUserAgents: z.array(z.string().trim().min(1, 'must not be empty')).optional(),
    /** Digest algorithms offered, most preferred first. MD5 alone by default: see docs/sip-core.md. */
    digestAlgorithms: z
      .array(z.enum(['MD5', 'SHA-256'], { errorMap: () => ({ message: 'must be "MD5" or "SHA-256"' }) }))
      .min(1, 'must name at least one algorithm')
      .optional(),
  })
  .strict();
