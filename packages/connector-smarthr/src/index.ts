import { smarthrConnector } from './connector.ts';

export default smarthrConnector;
export { createSmarthrConnector, smarthrConnector } from './connector.ts';
export { createSmarthrFake, FAKE_CREDENTIALS, type SmarthrFake } from './fake/index.ts';
