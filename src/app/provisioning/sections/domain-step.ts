import type { ProvisioningStep } from './provisioning-step.js';

export const domainStep: ProvisioningStep = {
  section: 'domain',
  async check(doc, ctx) {
    if (doc.domain === undefined && ctx.storedDomain === undefined) {
      return [{ path: 'domain', message: 'is required on first apply (it is the SIP domain and the digest realm)' }];
    }
    return [];
  },
  async apply(doc, ctx) {
    if (doc.domain === undefined) return;
    ctx.recorder.record('setting:domain', await ctx.tx.settings.set('domain', doc.domain, ctx.change));
  },
  async export(repos) {
    return repos.settings.get('domain');
  },
};
