export * from './connect.ts';
export * from './contract/index.ts';
export * from './fake.ts';
export * from './faults.ts';
export * from './gateway.ts';
export * from './generate/index.ts';
export * from './reference/index.ts';
