import { pcaCloudConnector } from './connector.ts';

export default pcaCloudConnector;
export { createPcaCloudFake } from './fake/index.ts';
export { pcaCloudConnector };
