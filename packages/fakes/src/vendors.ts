import jobcan, { JOBCAN } from '@renkei/connector-jobcan';
import { createJobcanFake, FAKE_CREDENTIALS as JOBCAN_CREDENTIALS } from '@renkei/connector-jobcan/fake';
import pcaCloud from '@renkei/connector-pca-cloud';
import { createPcaCloudFake, FAKE_CREDENTIALS as PCA_CREDENTIALS } from '@renkei/connector-pca-cloud/fake';
import pcaHyper from '@renkei/connector-pca-hyper';
import { createPcaHyperFake } from '@renkei/connector-pca-hyper/fake';
import type { Clock } from '@renkei/core';
import { PCA } from '@renkei/pca-webapi';
import type { FakeVendor, PersistableFake } from '@renkei/testkit/fakes';

/** One vendor the fake server answers for: the connector it stands in for, its fake, what it accepts. */
export interface ServedFake {
  /** The connector's id (also the fake's key in the state file). */
  id: string;
  fake: FakeVendor & PersistableFake;
  /** Credentials the fake accepts, as the connector's credentials schema reads them. */
  credentials: Record<string, unknown>;
  /** Logins holding one of the vendor's licences now (PCA); absent where logins hold none. */
  openSessions?: () => number;
}

/** The fakes `pnpm fakes` serves: PCAクラウド給与, PCAクラウド給与 hyper and ジョブカン勤怠管理. */
export function createServedFakes(clock?: Clock): ServedFake[] {
  const options = clock ? { clock } : {};
  const cloud = createPcaCloudFake(options);
  const hyper = createPcaHyperFake(options);
  return [
    {
      id: pcaCloud.id,
      fake: cloud,
      credentials: { ...PCA_CREDENTIALS },
      openSessions: () => cloud.activeLicences(),
    },
    {
      id: pcaHyper.id,
      fake: hyper,
      credentials: { ...PCA_CREDENTIALS },
      openSessions: () => hyper.activeLicences(),
    },
    { id: jobcan.id, fake: createJobcanFake(options), credentials: { ...JOBCAN_CREDENTIALS } },
  ];
}

/** Every origin the connectors call (both PCA data centres, Jobcan's API and auth hosts of both environments). */
export const VENDOR_ORIGINS: readonly string[] = [
  ...PCA.datacentersSeen.map((datacenter) => PCA.host(datacenter)),
  ...Object.values(JOBCAN.hosts).flatMap((hosts) => [hosts.api, hosts.auth]),
];
