import { pcaCloudConnector } from './connector.ts';

export default pcaCloudConnector;
export { FAKE_CREDENTIALS } from '@renkei/pca-webapi';
export { createPcaCloudFake } from './fake/index.ts';
export { pcaCloudConnector };
