export { MAX_BATCH_OPERATIONS, REFERENCE_BASE_URL } from './api.ts';
export {
  createReferenceConnector,
  REFERENCE_FIELDS,
  REFERENCE_LIMITS,
  ReferenceCredentials,
  referenceConnector,
} from './connector.ts';
export {
  createReferenceFake,
  REFERENCE_AREAS,
  REFERENCE_CLIENT,
  type ReferenceFake,
  type ReferenceFakeOptions,
} from './fake/index.ts';
