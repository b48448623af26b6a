import type { PcaProduct } from '@renkei/pca-webapi';

/**
 * PCAクラウド給与 hyper as a PCA Web-API product. Every value here is modelled (docs/vendors.md):
 * correct it here when the real API says otherwise; nothing else in this package repeats it.
 */
export const PCA_KYUYO_HYPER: PcaProduct = {
  id: 'pca-hyper',
  displayName: 'PCAクラウド給与 hyper',
  productCode: 'KyuHyper',
  areaCode: 'KYH',
  pageSize: 1000,
  maxPageSize: 1000,
  bankAccountSlots: 3,
  /** 社員区分 (`SyainKubun`): a fixed list in hyper. */
  employeeCategories: [
    { code: '1', name: '一般' },
    { code: '2', name: '管理職' },
    { code: '3', name: '嘱託' },
    { code: '4', name: '役員' },
  ],
};
