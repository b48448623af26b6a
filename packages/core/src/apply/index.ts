export { apply, applyAll, DEFAULT_BATCH_RETRY } from './apply.ts';
export { plannedWrites } from './planned-writes.ts';
export { countOutcomes, runStatus } from './status.ts';
export * from './types.ts';
