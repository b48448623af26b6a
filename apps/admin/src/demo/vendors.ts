import { join } from 'node:path';
import jobcan from '@renkei/connector-jobcan';
import { createJobcanFake, FAKE_CREDENTIALS as JOBCAN_CREDENTIALS } from '@renkei/connector-jobcan/fake';
import pcaCloud from '@renkei/connector-pca-cloud';
import {
  createPcaCloudFake,
  FAKE_CREDENTIALS as PCA_CLOUD_CREDENTIALS,
} from '@renkei/connector-pca-cloud/fake';
import pcaHyper from '@renkei/connector-pca-hyper';
import {
  createPcaHyperFake,
  FAKE_CREDENTIALS as PCA_HYPER_CREDENTIALS,
} from '@renkei/connector-pca-hyper/fake';
import { createFakeStateFile } from '@renkei/testkit/fakes';
import type { DemoVendor } from './seed.ts';

/** The demo's vendors: each connector with its stateful fake and the (fictional) credentials it accepts. */
export function createDemoVendors(): DemoVendor[] {
  return [
    { connector: pcaCloud, fake: createPcaCloudFake(), credentials: { ...PCA_CLOUD_CREDENTIALS } },
    { connector: pcaHyper, fake: createPcaHyperFake(), credentials: { ...PCA_HYPER_CREDENTIALS } },
    { connector: jobcan, fake: createJobcanFake(), credentials: { ...JOBCAN_CREDENTIALS } },
  ];
}

/** Writes at most this often while the vendors answer (and once more on close). */
const SAVE_DELAY_MS = 200;

/**
 * Keeps the demo vendors' state in `<dataDir>/vendors.json`, so a restart finds them as it left
 * them (and 連携履歴 still matches what they hold). Returns whether a saved state was restored;
 * when not, the vendors' current (freshly seeded) state is written as the first one.
 */
export function persistDemoVendors(vendors: readonly DemoVendor[], dataDir: string) {
  const file = createFakeStateFile(
    join(dataDir, 'vendors.json'),
    Object.fromEntries(vendors.map(({ connector, fake }) => [connector.id, fake])),
  );
  const restored = file.load();
  if (!restored) file.save();
  let timer: NodeJS.Timeout | undefined;
  return {
    restored,
    /** After a request was answered: saves soon, once for a burst of requests. */
    changed() {
      timer ??= setTimeout(() => {
        timer = undefined;
        file.save();
      }, SAVE_DELAY_MS);
    },
    flush() {
      clearTimeout(timer);
      timer = undefined;
      file.save();
    },
  };
}
