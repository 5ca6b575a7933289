export type { CodecImpairment } from './codec-impairment.js';
export { codecImpairment } from './codec-impairment.js';
export type { EModelInput, EModelResult } from './e-model.js';
export {
  R_DEFAULT,
  delayImpairment,
  eModel,
  effectiveEquipmentImpairment,
  mosFromR,
  oneWayDelayMs,
} from './e-model.js';
export type { LegQualityMeterOptions, QualitySnapshot } from './leg-quality-meter.js';
export { LegQualityMeter } from './leg-quality-meter.js';
