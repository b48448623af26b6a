import { pcaContractOptions } from '@renkei/pca-webapi/testing';
import { describeConnectorContract } from '@renkei/testkit';
import pcaCloud, { createPcaCloudFake } from './index.ts';
import { PCA_KYUYO } from './product.ts';

describeConnectorContract(
  pcaContractOptions(pcaCloud, PCA_KYUYO, ({ clock }) => createPcaCloudFake({ clock })),
);
