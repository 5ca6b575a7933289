import type { ProvisioningStep } from './sections/provisioning-step.js';
import { domainStep } from './sections/domain-step.js';
import { securityStep } from './sections/security-step.js';
import { extensionsStep } from './sections/extensions-step.js';

/**
 * The sections in the order they apply and export. The domain comes first: it is the realm the
 * extensions' passwords are hashed with. Later sections (ivrs, queues...) refer to earlier ones.
 */
export const PROVISIONING_STEPS: readonly ProvisioningStep[] = [domainStep, securityStep, extensionsStep];
