import { isIP } from 'node:net';
import { z } from 'zod';

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** `domain`: the SIP domain, also the digest realm of every extension's credentials. */
export const domainSchema = z
  .string({ invalid_type_error: 'must be a host name such as atende.local' })
  .trim()
  .toLowerCase()
  .refine((v) => HOSTNAME.test(v) || isIP(v) !== 0, { message: 'must be a host name such as atende.local' });
