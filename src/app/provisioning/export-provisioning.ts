import { stringify } from 'yaml';
import type { StoreRepositories } from '../../store/index.js';
import type { ProvisioningInput } from './provisioning-document.js';
import { PROVISIONING_STEPS } from './provisioning-steps.js';

const HEADER =
  '# Atende provisioning file, written by `atende provision export`.\n' +
  '# Passwords appear as digest hashes (HA1) for the realm shown; `atende provision apply` accepts them.\n';

/** The whole configuration as a provisioning document (the shape `apply` accepts). */
export async function exportProvisioningDocument(store: StoreRepositories): Promise<ProvisioningInput> {
  const doc: Record<string, unknown> = {};
  for (const step of PROVISIONING_STEPS) {
    const value = await step.export(store);
    if (value !== undefined) doc[step.section] = value;
  }
  return doc as ProvisioningInput;
}

/** The whole configuration as provisioning YAML: hashes, never passwords. */
export async function exportProvisioning(store: StoreRepositories): Promise<string> {
  return HEADER + stringify(await exportProvisioningDocument(store), { lineWidth: 0 });
}
