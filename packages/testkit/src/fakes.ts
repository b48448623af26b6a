// What vendor fakes and the demo need at run time, without the contract suite (which loads vitest).
export * from './connect.ts';
export * from './demo-seed.ts';
export * from './fake.ts';
export * from './fake-state.ts';
export * from './faults.ts';
export * from './gateway.ts';
export * from './generate/index.ts';
