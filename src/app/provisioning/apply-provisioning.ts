import type { Store } from '../../store/index.js';
import type { ProvisioningDocument } from './provisioning-document.js';
import { ProvisioningError, type ProvisioningIssue } from './provisioning-issue.js';
import { PROVISIONING_STEPS } from './provisioning-steps.js';
import type { ApplyOutcome, ApplyRecorder, StepContext } from './sections/provisioning-step.js';
import { parseProvisioning } from './validate-provisioning.js';

/** Who applies the file and through what (`cli`, `api`...), written to the configuration history. */
export interface ApplyOptions {
  actor: string;
  source: string;
}

/** What an apply did, by entity (`setting:domain`, `extension:1001`). */
export interface ApplyReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** created + updated: 0 when the file matched what was stored. */
  changes: number;
  warnings: string[];
}

function recorder(report: ApplyReport): ApplyRecorder {
  return {
    record(entity: string, outcome: ApplyOutcome) {
      report[outcome].push(entity);
      if (outcome !== 'unchanged') report.changes++;
    },
    warn(message: string) {
      report.warnings.push(message);
    },
  };
}

/**
 * Applies a validated document in one transaction: every step checks against the stored state
 * first, and any problem throws ProvisioningError with nothing written. Idempotent.
 */
export async function applyProvisioningDocument(
  store: Store,
  doc: ProvisioningDocument,
  options: ApplyOptions,
): Promise<ApplyReport> {
  return store.transaction(async (tx) => {
    const report: ApplyReport = { created: [], updated: [], unchanged: [], changes: 0, warnings: [] };
    const storedDomain = await tx.settings.get('domain');
    const ctx: StepContext = {
      tx,
      change: { actor: options.actor, source: options.source },
      storedDomain,
      domain: doc.domain ?? storedDomain,
      recorder: recorder(report),
    };
    const issues: ProvisioningIssue[] = [];
    for (const step of PROVISIONING_STEPS) if (step.check) issues.push(...(await step.check(doc, ctx)));
    if (issues.length > 0) throw new ProvisioningError(issues);
    for (const step of PROVISIONING_STEPS) await step.apply(doc, ctx);
    return report;
  });
}

/**
 * Parses, validates and applies a provisioning file (YAML). Throws ProvisioningError listing
 * every problem with its path when anything is invalid; then nothing is applied.
 */
export async function applyProvisioning(store: Store, yamlText: string, options: ApplyOptions): Promise<ApplyReport> {
  const result = parseProvisioning(yamlText);
  if (!result.ok) throw new ProvisioningError(result.issues);
  return applyProvisioningDocument(store, result.value, options);
}
