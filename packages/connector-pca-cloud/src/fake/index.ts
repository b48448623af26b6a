import { createPcaFake, type PcaFake, type PcaFakeOptions } from '@renkei/pca-webapi/fake';

export { FAKE_CREDENTIALS, type PcaFake } from '@renkei/pca-webapi/fake';

import { PCA_KYUYO } from '../product.ts';

/** The stateful MSW fake of PCAクラウド給与's Web-API (the shared PCA fake with this product). */
export function createPcaCloudFake(options: Omit<PcaFakeOptions, 'product'> = {}): PcaFake {
  return createPcaFake({ ...options, product: PCA_KYUYO });
}
