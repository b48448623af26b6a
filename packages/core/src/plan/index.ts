export { fieldValuesEqual } from './compare.ts';
export { fingerprintEmployee } from './fingerprint.ts';
export { compareNatural, naturalSortKey } from './natural-sort.ts';
export { type PlanOptions, type PlanSide, plan } from './plan.ts';
export { type RefusalOptions, withRefusals } from './refusals.ts';
export { summaryLine, summaryLineJa } from './summary.ts';
export { formatPlanTable, type PlanTableOptions } from './table.ts';
export * from './types.ts';
