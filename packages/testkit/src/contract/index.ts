export { brokenConnector, type PlantedBug, runContractCheck } from './broken.ts';
export * from './checks.ts';
export { describeConnectorContract } from './describe.ts';
export {
  type ContractContext,
  type ContractEnv,
  type ContractFake,
  type ContractOptions,
  type ContractRunner,
  createContractRunner,
  SOURCE_FIELDS,
} from './harness.ts';
export { restrictTo } from './restrict.ts';
