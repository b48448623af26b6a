export * from './contract.ts';
export * from './sync.ts';
