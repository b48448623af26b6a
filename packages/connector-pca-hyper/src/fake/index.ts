import { createPcaFake, type PcaFake, type PcaFakeOptions } from '@renkei/pca-webapi/fake';

export { FAKE_CREDENTIALS, type PcaFake } from '@renkei/pca-webapi/fake';

import { PCA_KYUYO_HYPER } from '../product.ts';

/** The stateful MSW fake of PCAクラウド給与 hyper's Web-API (the shared PCA fake with this product). */
export function createPcaHyperFake(options: Omit<PcaFakeOptions, 'product'> = {}): PcaFake {
  return createPcaFake({ ...options, product: PCA_KYUYO_HYPER });
}
