import type { PcaProduct } from './product.ts';

// The two PCA products Renkei ships, defined here so this package's own tests run against the very
// profiles the connectors ship (each connector's product.ts re-exports its one). Every value is
// modelled (docs/vendors.md): correct it here when the real API says otherwise.

/** PCAクラウド給与: one 給与振込口座 per employee, no 社員区分. */
export const PCA_KYUYO: PcaProduct = {
  id: 'pca-cloud',
  displayName: 'PCAクラウド給与',
  productCode: 'Kyu20',
  areaCode: 'KYU',
  pageSize: 200,
  maxPageSize: 200,
  bankAccountSlots: 1,
};

/** PCAクラウド給与 hyper: up to three 給与振込口座, a 社員区分, larger pages. */
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
