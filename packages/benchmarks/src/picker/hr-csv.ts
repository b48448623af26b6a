// The 従業員リスト CSV as the hub documents it (packages/hub/README.md, "CSV"): 社員番号, then one
// column per field of core's catalog headed by its Japanese label, one per part of a structured
// field (only the first 給与振込口座). Cells hold core's normal form, which the hub's normalisers
// read as is. Written here because the hub does not export its writer; replace it when it does.
import { EMPLOYEE_CODE_LABEL, type Employee, FIELD_KEYS, fieldDefinition } from '@renkei/core';

type Column = { header: string; cell: (employee: Employee) => unknown };

const COLUMNS: readonly Column[] = [
  { header: EMPLOYEE_CODE_LABEL, cell: (employee) => employee.employeeCode },
  ...FIELD_KEYS.flatMap((field): Column[] => {
    const { label, parts } = fieldDefinition(field);
    if (!parts) return [{ header: label, cell: (employee) => employee[field] }];
    const holder = (employee: Employee) =>
      (field === 'bankAccounts' ? employee.bankAccounts?.[0] : employee[field]) as
        | Record<string, unknown>
        | undefined;
    return Object.entries(parts).map(([part, partLabel]) => ({
      header: `${label}（${partLabel}）`,
      cell: (employee) => holder(employee)?.[part],
    }));
  }),
];

const quote = (value: unknown): string => {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function employeesCsv(employees: readonly Employee[]): Uint8Array {
  const lines = [COLUMNS.map((column) => quote(column.header)).join(',')];
  for (const employee of employees)
    lines.push(COLUMNS.map((column) => quote(column.cell(employee))).join(','));
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
}
