import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { provisioningSchema, type ProvisioningDocument } from './provisioning-document.js';
import { checkExtensionEntries } from './sections/extensions-schema.js';
import { formatPath, type ProvisioningIssue } from './provisioning-issue.js';

export type ValidationResult = { ok: true; value: ProvisioningDocument } | { ok: false; issues: ProvisioningIssue[] };

const SECTIONS = Object.keys(provisioningSchema.shape).join(', ');

function describe(issue: z.ZodIssue): ProvisioningIssue[] {
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length === 0 ? 'section' : 'key';
    const known = issue.path.length === 0 ? `; this version knows ${SECTIONS}` : '';
    return issue.keys.map((k) => ({ path: formatPath([...issue.path, k]), message: `unknown ${where}${known}` }));
  }
  const message = issue.code === 'invalid_type' && issue.received === 'undefined' ? 'is required' : issue.message;
  return [{ path: formatPath(issue.path), message }];
}

/** Validates a parsed provisioning document, reporting every problem with its path. */
export function validateProvisioning(doc: unknown): ValidationResult {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, issues: [{ path: '(document)', message: 'must be a mapping of sections (domain, extensions, ...)' }] };
  }
  const parsed = provisioningSchema.safeParse(doc);
  const issues = parsed.success ? [] : parsed.error.issues.flatMap(describe);
  issues.push(...checkExtensionEntries((doc as Record<string, unknown>).extensions));
  if (issues.length > 0 || !parsed.success) return { ok: false, issues: sortIssues(issues) };
  return { ok: true, value: parsed.data };
}

/** Parses YAML text, then validates it; YAML syntax errors carry line and column. */
export function parseProvisioning(yamlText: string): ValidationResult {
  const lines = new LineCounter();
  const document = parseDocument(yamlText, { prettyErrors: false, lineCounter: lines });
  if (document.errors.length > 0) {
    return {
      ok: false,
      issues: document.errors.map((e) => {
        const at = lines.linePos(e.pos[0]);
        return { path: '(yaml)', message: `line ${at.line}, column ${at.col}: ${e.message}` };
      }),
    };
  }
  return validateProvisioning(document.toJS() ?? {});
}

function sortIssues(issues: ProvisioningIssue[]): ProvisioningIssue[] {
  // Document order: extensions[2] before extensions[10].
  const key = (p: string): string => p.replace(/\[(\d+)\]/g, (_m, n: string) => `[${n.padStart(6, '0')}]`);
  return [...issues].sort((a, b) => (key(a.path) < key(b.path) ? -1 : key(a.path) > key(b.path) ? 1 : 0));
}
