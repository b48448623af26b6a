import type { AddressKind } from './mapper.ts';

/**
 * The connection settings for what PCA's API may not say (社員コードの桁数・０詰め) and which address
 * is carried, as the 連携設定 form offers them and as the session reads them.
 */

/** The choices of the ０詰め and 住所 settings, as the form shows them. */
export const FILL_ZERO_CHOICES = {
  PCAの設定に従う: undefined,
  '０詰めする': true,
  '０詰めしない': false,
} as const;
export const ADDRESS_CHOICES = { 現住所: 'current', 住民票住所: 'resident' } as const satisfies Record<
  string,
  AddressKind
>;

/** The settings' form values (strings, as stored with the connection). */
export interface PcaSettingsInput {
  codeLength?: string | undefined;
  codeFillZero?: keyof typeof FILL_ZERO_CHOICES | undefined;
  address?: keyof typeof ADDRESS_CHOICES | undefined;
  /** 新規登録時の部門 / 社員区分: codes in PCA's own masters (optional). */
  newDepartment?: string | undefined;
  newEmployeeCategory?: string | undefined;
}

/** What 連携設定 gives every employee Renkei creates in PCA where the HR master has none. */
export interface NewEmployeeCodes {
  department?: string;
  employeeCategory?: string;
}

/** The connection's settings for what PCA's API may not say, from the form's values. */
export function pcaSettings(input: PcaSettingsInput) {
  return {
    codeOverride: {
      width: input.codeLength ? Number(input.codeLength) : undefined,
      fillZero: FILL_ZERO_CHOICES[input.codeFillZero ?? 'PCAの設定に従う'],
    },
    address: ADDRESS_CHOICES[input.address ?? '現住所'],
    newEmployee: {
      ...(input.newDepartment?.trim() ? { department: input.newDepartment.trim() } : {}),
      ...(input.newEmployeeCategory?.trim() ? { employeeCategory: input.newEmployeeCategory.trim() } : {}),
    } satisfies NewEmployeeCodes,
  };
}
