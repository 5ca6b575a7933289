export { applyProvisioning, applyProvisioningDocument, type ApplyOptions, type ApplyReport } from './apply-provisioning.js';
export { exportProvisioning, exportProvisioningDocument } from './export-provisioning.js';
export { validateProvisioning, parseProvisioning, type ValidationResult } from './validate-provisioning.js';
export { provisioningSchema, type ProvisioningDocument, type ProvisioningInput } from './provisioning-document.js';
export { ProvisioningError, type ProvisioningIssue } from './provisioning-issue.js';
export { checkCidr, type CidrCheck } from './cidr.js';
