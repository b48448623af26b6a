export * from './fake.ts';
export * from './faults.ts';
