import type { ConnectorFields, Employee, FieldKey } from '@renkei/core';

/** The employee with only the fields `fields` names (and 社員番号). */
export function restrictTo(employee: Employee, fields: ConnectorFields | readonly FieldKey[]): Employee {
  const keys = Array.isArray(fields) ? fields : Object.keys(fields);
  const out: Record<string, unknown> = { employeeCode: employee.employeeCode };
  for (const key of keys) {
    const value = employee[key as FieldKey];
    if (value !== undefined) out[key] = value;
  }
  return out as Employee;
}
