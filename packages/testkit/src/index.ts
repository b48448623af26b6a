export * from './fakes.ts';
export * from './reference/index.ts';
