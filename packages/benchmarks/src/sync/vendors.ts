import jobcan from '@renkei/connector-jobcan';
import { createJobcanFake, FAKE_CREDENTIALS as JOBCAN_CREDENTIALS } from '@renkei/connector-jobcan/fake';
import pcaCloud from '@renkei/connector-pca-cloud';
import { createPcaCloudFake, FAKE_CREDENTIALS as PCA_CREDENTIALS } from '@renkei/connector-pca-cloud/fake';
import pcaHyper from '@renkei/connector-pca-hyper';
import { createPcaHyperFake } from '@renkei/connector-pca-hyper/fake';
import { type Clock, type ConnectorDefinition, IMPLICIT_DATA_AREA } from '@renkei/core';
import type { FakeVendor } from '@renkei/testkit/fakes';

/** A vendor as the benchmark drives it: the real connector against its stateful fake. */
export interface Vendor {
  id: string;
  definition: ConnectorDefinition;
  /** Raw credentials the fake accepts (parsed by the connector's schema). */
  credentials: unknown;
  createFake(clock: Clock): FakeVendor;
  /** The data area to write to. */
  area(fake: FakeVendor): string;
}

/** PCA fakes hold a sample area first; the benchmark writes to the next (as the PCA sync tests do). */
const secondArea = (fake: FakeVendor) => fake.dataAreas()[1] ?? (fake.dataAreas()[0] as string);

export const VENDORS: readonly Vendor[] = [
  {
    id: 'pca-cloud',
    definition: pcaCloud,
    credentials: PCA_CREDENTIALS,
    createFake: (clock) => createPcaCloudFake({ clock }),
    area: secondArea,
  },
  {
    id: 'pca-hyper',
    definition: pcaHyper,
    credentials: PCA_CREDENTIALS,
    createFake: (clock) => createPcaHyperFake({ clock }),
    area: secondArea,
  },
  {
    id: 'jobcan',
    definition: jobcan,
    credentials: JOBCAN_CREDENTIALS,
    createFake: (clock) => createJobcanFake({ clock }),
    area: () => IMPLICIT_DATA_AREA.id,
  },
];
