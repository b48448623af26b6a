// The flat CSV layout of the 従業員リスト, derived from core's field catalog: one column per field,
// one per part of a structured field (住所, 部署 …; 給与振込口座 once per account up to
// CSV_BANK_ACCOUNTS), headed by the catalog's Japanese labels. Cells are read by the catalog's
// normalisers, so 1985/4/1, 男 or ｶﾅ work.
import {
  EMPLOYEE_CODE_LABEL,
  type Employee,
  FIELD_CATALOG,
  FIELD_KEYS,
  type FieldKey,
  fieldDefinition,
  normaliseAccountType,
} from '@renkei/core';

export interface CsvColumn {
  header: string;
  field: FieldKey | 'employeeCode';
  /** The cell text of an employee (normal form → what a person reads, e.g. 男性). */
  read(employee: Employee): string;
  /** Puts a non-empty cell into the raw record handed to `normaliseEmployee`. */
  write(raw: Record<string, unknown>, cell: string): void;
}

const enumLabels: Partial<Record<string, Readonly<Record<string, string>>>> = {
  accountType: normaliseAccountType.labels,
};

function scalarColumn(field: FieldKey): CsvColumn {
  const { label, options } = fieldDefinition(field);
  return {
    header: label,
    field,
    read: (employee) => {
      const value = employee[field];
      if (value === undefined) return '';
      return options ? (options[value as string] ?? String(value)) : String(value);
    },
    write: (raw, cell) => {
      raw[field] = cell;
    },
  };
}

function partColumn(field: Exclude<FieldKey, 'bankAccounts'>, part: string, partLabel: string): CsvColumn {
  return {
    header: `${FIELD_CATALOG[field].label}（${partLabel}）`,
    field,
    read: (employee) => (employee[field] as Record<string, string> | undefined)?.[part] ?? '',
    write: (raw, cell) => {
      raw[field] ??= {};
      (raw[field] as Record<string, string>)[part] = cell;
    },
  };
}

/** 給与振込口座 in the CSV: the first {@link CSV_BANK_ACCOUNTS} accounts, one column per part each. */
export const CSV_BANK_ACCOUNTS = 3;

/** A part of the `index`th account: `給与振込口座（銀行コード）`, `給与振込口座2（銀行コード）`, … */
function accountPartColumn(index: number, part: string, partLabel: string): CsvColumn {
  const label = `${FIELD_CATALOG.bankAccounts.label}${index === 0 ? '' : index + 1}`;
  return {
    header: `${label}（${partLabel}）`,
    field: 'bankAccounts',
    read: (employee) => {
      const value = (employee.bankAccounts?.[index] as Record<string, string> | undefined)?.[part];
      if (value === undefined) return '';
      return enumLabels[part]?.[value] ?? value;
    },
    write: (raw, cell) => {
      raw.bankAccounts ??= [];
      const accounts = raw.bankAccounts as Record<string, string>[];
      // No holes: an account left empty is dropped by the normaliser, a hole would be an error.
      while (accounts.length <= index) accounts.push({});
      (accounts[index] as Record<string, string>)[part] = cell;
    },
  };
}

function fieldColumns(field: FieldKey): CsvColumn[] {
  const { parts } = fieldDefinition(field);
  if (!parts) return [scalarColumn(field)];
  if (field === 'bankAccounts') {
    return Array.from({ length: CSV_BANK_ACCOUNTS }, (_, index) =>
      Object.entries(parts).map(([part, partLabel]) => accountPartColumn(index, part, partLabel)),
    ).flat();
  }
  return Object.entries(parts).map(([part, partLabel]) => partColumn(field, part, partLabel));
}

export const CSV_COLUMNS: readonly CsvColumn[] = [
  {
    header: EMPLOYEE_CODE_LABEL,
    field: 'employeeCode',
    read: (employee) => employee.employeeCode,
    write: (raw, cell) => {
      raw.employeeCode = cell;
    },
  },
  ...FIELD_KEYS.flatMap(fieldColumns),
];
