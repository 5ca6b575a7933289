export * from './clock.js';
export * from './random.js';
export * from './errors.js';
export * from './logger.js';
export * from './event-bus.js';
export * from './idle-collector.js';
export * from './young-generation-trim.js';
export * from './literal-lookup.js';
