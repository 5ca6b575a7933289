export * from './b2bua/index.js';
