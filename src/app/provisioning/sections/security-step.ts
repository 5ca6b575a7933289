import type { SecuritySettings } from '../../../store/index.js';
import type { ProvisioningStep } from './provisioning-step.js';

export const securityStep: ProvisioningStep = {
  section: 'security',
  async apply(doc, ctx) {
    if (doc.security === undefined) return;
    const s = doc.security;
    const value: SecuritySettings = {
      trusted: s.trusted.map((c) => c.trim()),
      deny: s.deny.map((c) => c.trim()),
      allow: s.allow.map((c) => c.trim()),
      bans: s.bans,
      flood: s.flood,
      ...(s.scannerUserAgents !== undefined ? { scannerUserAgents: s.scannerUserAgents } : {}),
      ...(s.digestAlgorithms !== undefined ? { digestAlgorithms: s.digestAlgorithms } : {}),
    };
    ctx.recorder.record('setting:security', await ctx.tx.settings.set('security', value, ctx.change));
  },
  async export(repos) {
    const s = await repos.settings.get('security');
    if (s === undefined) return undefined;
    // The documented key order (settings are stored with sorted keys).
    return {
      trusted: s.trusted,
      deny: s.deny,
      allow: s.allow,
      bans: { failures: s.bans.failures, windowSeconds: s.bans.windowSeconds, banSeconds: s.bans.banSeconds },
      flood: { requests: s.flood.requests, windowSeconds: s.flood.windowSeconds },
      ...(s.scannerUserAgents !== undefined ? { scannerUserAgents: s.scannerUserAgents } : {}),
      ...(s.digestAlgorithms !== undefined ? { digestAlgorithms: s.digestAlgorithms } : {}),
    };
  },
};
