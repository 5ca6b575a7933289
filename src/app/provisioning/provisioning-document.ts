import { z } from 'zod';
import { domainSchema } from './sections/domain-schema.js';
import { securitySchema } from './sections/security-schema.js';
import { extensionsSchema } from './sections/extensions-schema.js';

/**
 * The provisioning file: one optional key per section. A new capability adds its schema
 * here and its step to provisioning-steps.ts.
 */
export const provisioningSchema = z
  .object({
    domain: domainSchema.optional(),
    security: securitySchema.optional(),
    extensions: extensionsSchema.optional(),
  })
  .strict();

/** A validated provisioning document (defaults filled in). */
export type ProvisioningDocument = z.output<typeof provisioningSchema>;

/** The document as written in YAML (what export produces, before defaults). */
export type ProvisioningInput = z.input<typeof provisioningSchema>;
