export { loadRuntimeConfig } from './load-runtime-config.js';
export { RUNTIME_CONFIG_ENV, type RuntimeConfig, type RuntimeConfigKey } from './runtime-config.js';
