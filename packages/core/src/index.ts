export * from './clock.ts';
export * from './connector.ts';
export * from './employee.ts';
export * from './errors.ts';
export * from './plan/types.ts';
