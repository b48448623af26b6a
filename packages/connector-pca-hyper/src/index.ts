import { pcaHyperConnector } from './connector.ts';

export default pcaHyperConnector;
export { FAKE_CREDENTIALS } from '@renkei/pca-webapi';
export { createPcaHyperFake } from './fake/index.ts';
export { pcaHyperConnector };
