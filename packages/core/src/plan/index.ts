export { fieldValuesEqual } from './compare.ts';
export { fingerprintEmployee } from './fingerprint.ts';
export { identityMismatch, identityOf } from './identity.ts';
export { compareNatural, naturalSortKey } from './natural-sort.ts';
export { createPlanner, type Planner, type PlanOptions, type PlanSide, plan } from './plan.ts';
export { type RefusalOptions, withRefusals } from './refusals.ts';
export { summaryLine, summaryLineJa } from './summary.ts';
export { formatPlanTable, identityText, type PlanTableOptions } from './table.ts';
export * from './types.ts';
