export {
  canonicalIpAddress,
  cidrContains,
  CidrSet,
  formatCidr,
  formatIpAddress,
  parseCidr,
  parseIpAddress,
  type Cidr,
  type IpAddress,
} from './cidr.js';
export { AccessList, parseCidrList, type AccessListConfig, type AccessVerdict } from './access-list.js';
export {
  BanList,
  defaultBanThresholds,
  type Ban,
  type BanListEvents,
  type BanListOptions,
  type BanThresholds,
} from './ban-list.js';
export { defaultFloodLimits, FloodLimiter, type FloodLimiterOptions, type FloodLimits } from './flood-limiter.js';
export { defaultScannerUserAgents, ScannerDetector } from './scanner-detector.js';
export {
  defaultEdgePolicyConfig,
  EdgePolicy,
  resolveEdgePolicyConfig,
  type AuthFailureDetail,
  type EdgeDropReason,
  type EdgePolicyConfig,
  type EdgePolicyConfigInput,
  type EdgePolicyOptions,
  type EdgePolicyStats,
} from './edge-policy.js';
