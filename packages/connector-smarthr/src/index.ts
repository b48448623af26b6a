import { smarthrConnector } from './connector.ts';

export default smarthrConnector;
export { Credentials as SmarthrCredentials, ENVIRONMENTS } from './auth.ts';
export {
  createSmarthrConnector,
  FIELDS as SMARTHR_FIELDS,
  LIMITS as SMARTHR_LIMITS,
  smarthrConnector,
} from './connector.ts';
export { baseUrlOf, VENDOR as SMARTHR } from './vendor.ts';
export {
  readWebhook,
  tokenMatches,
  WEBHOOK_MAX_BYTES,
  WEBHOOK_TOKEN_HEADER,
  type WebhookAction,
} from './webhook.ts';
