export { LocalIdentity } from './local-identity.js';
