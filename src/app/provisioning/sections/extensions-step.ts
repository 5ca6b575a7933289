import type { DigestCredential, StoreRepositories } from '../../../store/index.js';
import type { ProvisioningIssue } from '../provisioning-issue.js';
import type { ExtensionEntry } from './extensions-schema.js';
import type { ApplyOutcome, ProvisioningStep, StepContext } from './provisioning-step.js';

const WEAK_PASSWORD_LENGTH = 8;

function hashesOf(entry: ExtensionEntry, realm: string): DigestCredential[] {
  const h = entry.passwordHashes;
  if (!h) return [];
  const creds: DigestCredential[] = [];
  if (h.md5 !== undefined) creds.push({ algorithm: 'MD5', realm, ha1: h.md5 });
  if (h.sha256 !== undefined) creds.push({ algorithm: 'SHA-256', realm, ha1: h.sha256 });
  return creds;
}

/** Hashes in the file must be for the domain: a hash cannot be moved to another realm. */
function checkFileHashes(entries: ExtensionEntry[], domain: string): ProvisioningIssue[] {
  const issues: ProvisioningIssue[] = [];
  entries.forEach((e, i) => {
    const realm = e.passwordHashes?.realm;
    if (realm !== undefined && realm !== domain) {
      issues.push({
        path: `extensions[${i}].passwordHashes.realm`,
        message:
          `hashes were made for realm "${realm}" but the domain is "${domain}"; a hash cannot be ` +
          'converted to another realm: give the password instead',
      });
    }
  });
  return issues;
}

/** A domain change leaves stored hashes under the old realm: every such extension needs its password. */
async function checkRealmChange(doc: { extensions?: ExtensionEntry[] }, ctx: StepContext, domain: string): Promise<ProvisioningIssue[]> {
  if (ctx.storedDomain === undefined || ctx.storedDomain === domain) return [];
  const rekeyed = new Set((doc.extensions ?? []).filter((e) => e.password !== undefined || e.passwordHashes).map((e) => e.number));
  const stale = new Set<string>();
  for (const c of await ctx.tx.extensions.listCredentials()) {
    if (c.realm !== domain && !rekeyed.has(c.number)) stale.add(c.number);
  }
  if (stale.size === 0) return [];
  return [
    {
      path: 'domain',
      message:
        `changing the domain from "${ctx.storedDomain}" to "${domain}" changes the digest realm, and the stored ` +
        `hashes of extension(s) ${[...stale].join(', ')} cannot be re-hashed: list them with a password`,
    },
  ];
}

function combine(extension: ApplyOutcome, credentials: ApplyOutcome): ApplyOutcome {
  if (extension === 'created') return 'created';
  return extension === 'updated' || credentials !== 'unchanged' ? 'updated' : 'unchanged';
}

export const extensionsStep: ProvisioningStep = {
  section: 'extensions',
  async check(doc, ctx) {
    if (ctx.domain === undefined) return []; // the domain step reports the missing domain
    return [...checkFileHashes(doc.extensions ?? [], ctx.domain), ...(await checkRealmChange(doc, ctx, ctx.domain))];
  },

  async apply(doc, ctx) {
    const domain = ctx.domain;
    if (doc.extensions === undefined || domain === undefined) return;
    for (const e of doc.extensions) {
      const ext = await ctx.tx.extensions.upsert({ number: e.number, name: e.name, email: e.email ?? null, recording: e.recording ?? 'never' }, ctx.change);
      let creds: ApplyOutcome = 'unchanged';
      if (e.password !== undefined) {
        creds = await ctx.tx.extensions.setPassword(e.number, domain, e.password, ctx.change);
        if (e.password.length < WEAK_PASSWORD_LENGTH) {
          ctx.recorder.warn(`extension ${e.number}: a password shorter than ${WEAK_PASSWORD_LENGTH} characters is easy to guess`);
        }
      } else if (e.passwordHashes) {
        creds = await ctx.tx.extensions.setCredentials(e.number, hashesOf(e, domain), ctx.change);
        if (!e.passwordHashes.sha256) ctx.recorder.warn(`extension ${e.number}: no SHA-256 hash; only MD5 digest will work`);
        if (!e.passwordHashes.md5) ctx.recorder.warn(`extension ${e.number}: no MD5 hash; phones that only do MD5 digest will fail`);
      }
      ctx.recorder.record(`extension:${e.number}`, combine(ext, creds));
    }
  },

  async export(repos: StoreRepositories) {
    const extensions = await repos.extensions.list();
    if (extensions.length === 0) return undefined;
    const creds = new Map<string, DigestCredential[]>();
    for (const c of await repos.extensions.listCredentials()) {
      const list = creds.get(c.number) ?? [];
      list.push(c);
      creds.set(c.number, list);
    }
    return extensions.map((e) => {
      const own = creds.get(e.number) ?? [];
      const md5 = own.find((c) => c.algorithm === 'MD5');
      const sha256 = own.find((c) => c.algorithm === 'SHA-256');
      const realm = (md5 ?? sha256)?.realm;
      return {
        number: e.number,
        name: e.name,
        ...(e.email !== null ? { email: e.email } : {}),
        ...(e.recording !== 'never' ? { recording: e.recording } : {}),
        ...(realm !== undefined
          ? { passwordHashes: { realm, ...(md5 ? { md5: md5.ha1 } : {}), ...(sha256 ? { sha256: sha256.ha1 } : {}) } }
          : {}),
      };
    });
  },
};
