export { fieldValuesEqual } from './compare.ts';
export { fingerprintEmployee } from './fingerprint.ts';
export * from './types.ts';
