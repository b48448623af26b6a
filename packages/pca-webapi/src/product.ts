import type { ConnectorFields } from '@renkei/core';

export interface MasterEntry {
  code: string;
  name: string;
}

/**
 * What tells one PCA payroll product from another. Each connector package declares its own in
 * its product.ts; every value there is modelled (docs/vendors.md) and correctable in that one place.
 */
export interface PcaProduct {
  /** Connector id, e.g. `pca-cloud`. */
  id: string;
  /** Japanese product name, e.g. PCAクラウド給与. */
  displayName: string;
  /** The `{ProductCode}` segment of the URL, e.g. `Kyu20`. */
  productCode: string;
  /** The product part of a data area's name, e.g. `KYU` in `P20V01C081KYU0001`. */
  areaCode: string;
  /** `Limit` the client asks for when listing. */
  pageSize: number;
  /** The largest `Limit` the product accepts. */
  maxPageSize: number;
  /** 給与振込口座 an employee can have. */
  bankAccountSlots: number;
  /** 社員区分 (`SyainKubun`), a fixed list; absent where the product has none. */
  employeeCategories?: readonly MasterEntry[];
}

/** 連携可能な従業員情報 of a PCA product: everything in the canonical model that PCA holds. */
export function pcaFields(product: PcaProduct): ConnectorFields {
  return {
    lastName: 'readWrite',
    firstName: 'readWrite',
    lastNameKana: 'readWrite',
    firstNameKana: 'readWrite',
    birthDate: 'readWrite',
    hireDate: 'readWrite',
    retireDate: 'readWrite',
    gender: 'readWrite',
    // Derived from 退職年月日; PCA has no field of its own to write.
    status: 'read',
    email: 'readWrite',
    phone: 'readWrite',
    employmentType: 'readWrite',
    department: 'readWrite',
    jobTitle: 'readWrite',
    ...(product.employeeCategories ? { employeeCategory: 'readWrite' } : {}),
    address: 'readWrite',
    bankAccounts: 'readWrite',
  };
}
