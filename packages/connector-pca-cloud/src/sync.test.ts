import { itSyncsAThousandEmployees } from '@renkei/pca-webapi/testing';
import { describe } from 'vitest';
import { createPcaCloudFake } from './fake/index.ts';
import pcaCloud from './index.ts';
import { PCA_KYUYO } from './product.ts';

describe('社員名簿 → PCAクラウド給与', () => {
  itSyncsAThousandEmployees(pcaCloud, PCA_KYUYO, ({ clock }) => createPcaCloudFake({ clock }));
});
