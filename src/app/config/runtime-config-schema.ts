import { isIP } from 'node:net';
import { z } from 'zod';

const PORT_MESSAGE = 'must be a port number from 0 to 65535 (0 picks a free port)';

/** Ports come as strings from the environment and as numbers or strings from YAML. */
const port = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${PORT_MESSAGE}, got "${v}"` });
    return z.NEVER;
  }
  return n;
});

const OFF = new Set(['off', 'disabled', 'none', 'false']);

/** The TLS port, or `off` (also `false` in YAML) to run without TLS. */
const tlsPort = z.union([z.number(), z.string(), z.boolean()]).transform((v, ctx): number | null => {
  if (v === false || (typeof v === 'string' && OFF.has(v.trim().toLowerCase()))) return null;
  if (v === true) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${PORT_MESSAGE}, or "off"` });
    return z.NEVER;
  }
  const parsed = port.safeParse(v);
  if (!parsed.success) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${PORT_MESSAGE}, or "off", got "${v}"` });
    return z.NEVER;
  }
  return parsed.data;
});

const bindAddress = z
  .string()
  .trim()
  .refine((v) => isIP(v) !== 0, (v) => ({ message: `must be an IPv4 or IPv6 address to listen on, got "${v}"` }));

const portRange = z.string().transform((v, ctx) => {
  const m = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(v);
  const min = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2]) : NaN;
  if (!m || min < 1 || max > 65535) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a port range like 20000-29999 within 1-65535, got "${v}"` });
    return z.NEVER;
  }
  if (min >= max) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `the first port must be lower than the last, got "${v}"` });
    return z.NEVER;
  }
  return { min, max };
});

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const nonEmpty = (what: string) => z.string().trim().min(1, `must not be empty (${what})`);

/** The raw runtime settings after merging file and environment, before defaults that depend on others. */
export const runtimeConfigSchema = z
  .object({
    dataDir: nonEmpty('a directory path').default('./data'),
    sipBind: bindAddress.default('0.0.0.0'),
    sipPort: port.default(5060),
    sipTlsPort: tlsPort.default(5061),
    httpPort: port.default(8080),
    httpsPort: tlsPort.default('off'),
    httpBind: bindAddress.optional(),
    rtpPorts: portRange.default('20000-29999'),
    mediaTimeoutSeconds: z
      .union([z.number(), z.string()])
      .transform((v, ctx) => {
        const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
        if (!Number.isInteger(n) || n < 0 || n > 86_400) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be whole seconds from 0 (off) to 86400, got "${String(v)}"` });
          return z.NEVER;
        }
        return n;
      })
      .default(60),
    mediaWorkers: z
      .union([z.number(), z.string()])
      .transform((v, ctx) => {
        const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
        if (!Number.isInteger(n) || n < 1 || n > 64) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a whole number from 1 to 64, got "${String(v)}"` });
          return z.NEVER;
        }
        return n;
      })
      .optional(),
    registrarThread: z
      .union([z.boolean(), z.string()])
      .transform((v, ctx) => {
        if (typeof v === 'boolean') return v;
        const t = v.trim().toLowerCase();
        if (t === 'on' || t === 'true') return true;
        if (t === 'off' || t === 'false') return false;
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be on or off, got "${v}"` });
        return z.NEVER;
      })
      .default('off'),
    adminPassword: z.string().min(8, 'must have at least 8 characters').optional(),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        errorMap: () => ({ message: 'must be one of fatal, error, warn, info, debug, trace, silent' }),
      })
      .default('info'),
    databaseUrl: z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\/.+/i, 'must be a PostgreSQL URL (postgres://user:password@host:port/database)')
      .optional(),
    tlsCert: nonEmpty('a PEM certificate path').optional(),
    tlsKey: nonEmpty('a PEM private key path').optional(),
    publicHost: z
      .string()
      .trim()
      .refine((v) => isIP(v) !== 0 || HOSTNAME.test(v), (v) => ({ message: `must be a host name or IP address, got "${v}"` }))
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    // A certificate without its key (or the reverse) is a half-done setup, not "no TLS".
    if (c.tlsCert !== undefined && c.tlsKey === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tlsKey'], message: 'is required when a TLS certificate is set' });
    }
    if (c.tlsKey !== undefined && c.tlsCert === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tlsCert'], message: 'is required when a TLS key is set' });
    }
  });
