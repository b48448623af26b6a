import { pcaHyperConnector } from './connector.ts';

export default pcaHyperConnector;
export { pcaHyperConnector };
