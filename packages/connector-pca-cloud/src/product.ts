import type { PcaProduct } from '@renkei/pca-webapi';

/**
 * PCAクラウド給与 as a PCA Web-API product. Every value here is modelled (docs/vendors.md): correct
 * it here when the real API says otherwise; nothing else in this package repeats it.
 */
export const PCA_KYUYO: PcaProduct = {
  id: 'pca-cloud',
  displayName: 'PCAクラウド給与',
  productCode: 'Kyu20',
  areaCode: 'KYU',
  pageSize: 200,
  maxPageSize: 200,
  bankAccountSlots: 1,
};
