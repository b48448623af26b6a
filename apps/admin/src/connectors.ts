import jobcan from '@renkei/connector-jobcan';
import pcaCloud from '@renkei/connector-pca-cloud';
import pcaHyper from '@renkei/connector-pca-hyper';
import type { ConnectorDefinition } from '@renkei/core';

/** The connectors `renkei serve` and `renkei worker` offer, against the vendors' real hosts. */
export const CONNECTORS: readonly ConnectorDefinition[] = [pcaCloud, pcaHyper, jobcan];
