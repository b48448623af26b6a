import { jobcanConnector } from './connector.ts';

export default jobcanConnector;
export {
  createJobcanConnector,
  ENVIRONMENTS,
  JOBCAN_FIELDS,
  JOBCAN_LIMITS,
  type JobcanConnectorOptions,
  JobcanCredentials,
  jobcanConnector,
} from './connector.ts';
export { JOBCAN } from './vendor.ts';
