import type { PcaProduct } from '../product.ts';

/** Product profiles for this package's own tests (the real ones live in the connector packages). */
export const KYUYO: PcaProduct = {
  id: 'pca-test-kyuyo',
  displayName: 'PCAクラウド給与',
  productCode: 'Kyu20',
  areaCode: 'KYU',
  pageSize: 200,
  maxPageSize: 200,
  bankAccountSlots: 1,
};

export const HYPER: PcaProduct = {
  id: 'pca-test-hyper',
  displayName: 'PCAクラウド給与 hyper',
  productCode: 'KyuHyper',
  areaCode: 'KYH',
  pageSize: 1000,
  maxPageSize: 1000,
  bankAccountSlots: 3,
  employeeCategories: [
    { code: '1', name: '一般' },
    { code: '2', name: '役員' },
  ],
};
