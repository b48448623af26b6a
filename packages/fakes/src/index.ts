export * from './server.ts';
export * from './vendors.ts';
