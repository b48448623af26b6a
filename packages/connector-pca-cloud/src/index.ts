import { pcaCloudConnector } from './connector.ts';

export default pcaCloudConnector;
export { pcaCloudConnector };
