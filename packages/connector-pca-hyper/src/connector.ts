import { definePcaConnector } from '@renkei/pca-webapi';
import { PCA_KYUYO_HYPER } from './product.ts';

/** PCAクラウド給与 hyper: up to three 給与振込口座, and 社員区分. */
export const pcaHyperConnector = definePcaConnector(
  PCA_KYUYO_HYPER,
  'PCAクラウド給与 hyperの社員マスタ（基本情報・社員区分・所属・住所・連絡先・振込口座3口座まで）と連携します。',
);
