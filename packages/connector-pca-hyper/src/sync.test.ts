import { itSyncsAThousandEmployees } from '@renkei/pca-webapi/testing';
import { describe } from 'vitest';
import { createPcaHyperFake } from './fake/index.ts';
import pcaHyper from './index.ts';
import { PCA_KYUYO_HYPER } from './product.ts';

describe('社員名簿 → PCAクラウド給与 hyper', () => {
  itSyncsAThousandEmployees(pcaHyper, PCA_KYUYO_HYPER, ({ clock }) => createPcaHyperFake({ clock }));
});
