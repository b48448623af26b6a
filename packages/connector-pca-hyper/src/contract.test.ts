import { pcaContractOptions } from '@renkei/pca-webapi/testing';
import { describeConnectorContract } from '@renkei/testkit/contract';
import { createPcaHyperFake } from './fake/index.ts';
import pcaHyper from './index.ts';
import { PCA_KYUYO_HYPER } from './product.ts';

describeConnectorContract(
  pcaContractOptions(pcaHyper, PCA_KYUYO_HYPER, ({ clock }) => createPcaHyperFake({ clock })),
);
