import { definePcaConnector } from '@renkei/pca-webapi';
import { PCA_KYUYO } from './product.ts';

/** PCAクラウド給与: one 給与振込口座 per employee, no 社員区分. */
export const pcaCloudConnector = definePcaConnector(
  PCA_KYUYO,
  'PCAクラウド給与の社員マスタ（基本情報・所属・住所・連絡先・振込口座）と連携します。',
);
