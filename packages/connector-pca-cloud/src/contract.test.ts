import { pcaContractOptions } from '@renkei/pca-webapi/testing';
import { describeConnectorContract } from '@renkei/testkit/contract';
import { createPcaCloudFake } from './fake/index.ts';
import pcaCloud from './index.ts';
import { PCA_KYUYO } from './product.ts';

describeConnectorContract(
  pcaContractOptions(pcaCloud, PCA_KYUYO, ({ clock }) => createPcaCloudFake({ clock })),
);
