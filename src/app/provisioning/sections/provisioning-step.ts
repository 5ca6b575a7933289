import type { ChangeContext, StoreRepositories } from '../../../store/index.js';
import type { ProvisioningDocument } from '../provisioning-document.js';
import type { ProvisioningIssue } from '../provisioning-issue.js';

/** What happened to one configured object (`extension:1001`, `setting:domain`). */
export type ApplyOutcome = 'created' | 'updated' | 'unchanged';

/** Collects outcomes and warnings while a file is applied. */
export interface ApplyRecorder {
  record(entity: string, outcome: ApplyOutcome): void;
  warn(message: string): void;
}

/** What every step sees: the transaction, who applies, and the domain before and after. */
export interface StepContext {
  tx: StoreRepositories;
  change: ChangeContext;
  /** The domain stored before this apply, if any. */
  storedDomain: string | undefined;
  /** The domain in force after this apply (the file's, else the stored one). */
  domain: string | undefined;
  recorder: ApplyRecorder;
}

/**
 * One section's part in apply and export. Steps run in order inside one transaction;
 * every step's `check` runs before any step's `apply`, so a refusal writes nothing.
 */
export interface ProvisioningStep {
  readonly section: keyof ProvisioningDocument;
  /** Problems only visible against what is stored (runs even when the section is absent). */
  check?(doc: ProvisioningDocument, ctx: StepContext): Promise<ProvisioningIssue[]>;
  /** Writes the section when present; absent sections are left untouched. */
  apply(doc: ProvisioningDocument, ctx: StepContext): Promise<void>;
  /** The section as it should appear in an exported file, or undefined to leave it out. */
  export(repos: StoreRepositories): Promise<unknown>;
}
