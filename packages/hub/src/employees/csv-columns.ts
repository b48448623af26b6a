// The flat CSV layout of the 従業員リスト, derived from core's field catalog: one column per field,
// one per part of a structured field (住所, 給与振込口座 — the first account, 部署 …), headed by the
// catalog's Japanese labels. Cells are read by the catalog's normalisers, so 1985/4/1, 男 or ｶﾅ work.
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

function partColumn(field: FieldKey, part: string, partLabel: string): CsvColumn {
  const list = field === 'bankAccounts';
  const holder = (employee: Employee) =>
    (list ? employee.bankAccounts?.[0] : employee[field]) as Record<string, string> | undefined;
  return {
    header: `${FIELD_CATALOG[field].label}（${partLabel}）`,
    field,
    read: (employee) => {
      const value = holder(employee)?.[part];
      if (value === undefined) return '';
      return enumLabels[part]?.[value] ?? value;
    },
    write: (raw, cell) => {
      if (list) {
        raw[field] ??= [{}];
        ((raw[field] as Record<string, string>[])[0] as Record<string, string>)[part] = cell;
      } else {
        raw[field] ??= {};
        (raw[field] as Record<string, string>)[part] = cell;
      }
    },
  };
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
  ...FIELD_KEYS.flatMap((field) => {
    const { parts } = fieldDefinition(field);
    return parts
      ? Object.entries(parts).map(([part, partLabel]) => partColumn(field, part, partLabel))
      : [scalarColumn(field)];
  }),
];
