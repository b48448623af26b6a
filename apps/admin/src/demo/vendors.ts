import jobcan, { createJobcanFake, FAKE_CREDENTIALS as JOBCAN_CREDENTIALS } from '@renkei/connector-jobcan';
import pcaCloud, {
  createPcaCloudFake,
  FAKE_CREDENTIALS as PCA_CLOUD_CREDENTIALS,
} from '@renkei/connector-pca-cloud';
import pcaHyper, {
  createPcaHyperFake,
  FAKE_CREDENTIALS as PCA_HYPER_CREDENTIALS,
} from '@renkei/connector-pca-hyper';
import smarthr, {
  createSmarthrFake,
  FAKE_CREDENTIALS as SMARTHR_CREDENTIALS,
} from '@renkei/connector-smarthr';
import type { DemoVendor } from './seed.ts';

/** The demo's vendors: each connector with its stateful fake and the (fictional) credentials it accepts. */
export function createDemoVendors(): DemoVendor[] {
  return [
    { connector: pcaCloud, fake: createPcaCloudFake(), credentials: { ...PCA_CLOUD_CREDENTIALS } },
    { connector: pcaHyper, fake: createPcaHyperFake(), credentials: { ...PCA_HYPER_CREDENTIALS } },
    { connector: jobcan, fake: createJobcanFake(), credentials: { ...JOBCAN_CREDENTIALS } },
    { connector: smarthr, fake: createSmarthrFake(), credentials: { ...SMARTHR_CREDENTIALS } },
  ];
}
