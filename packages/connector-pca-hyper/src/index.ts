import { pcaHyperConnector } from './connector.ts';

export default pcaHyperConnector;
export { createPcaHyperFake } from './fake/index.ts';
export { pcaHyperConnector };
