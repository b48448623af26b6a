// The one rule for control characters in what people put into the HR master (the CSV import, the
// 従業員 form, the API): a C0 control character other than TAB, LF and CR (and DEL) is refused, never
// dropped. core's text normaliser would silently remove it, so `山\0田` would be saved as 山田 and
// a NUL pasted from a binary file would go unnoticed.
import { EMPLOYEE_CODE_LABEL, FIELD_KEYS, type FieldIssue, fieldDefinition } from '@renkei/core';

/** U+0000–U+001F but TAB, LF and CR, and U+007F. */
const isControl = (code: number): boolean =>
  (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;

/** The first control character in `text` as `U+0000`, or undefined when it has none. */
export function controlCharacterIn(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isControl(code)) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return undefined;
}

/** `where` (a field or a CSV column) holds `codePoint`. */
export const controlCharacterMessage = (where: string, codePoint: string): string =>
  `${where}に使えない文字（制御文字 ${codePoint}）が含まれています。`;

/** The first control character anywhere in a raw value, with the place named like its CSV column. */
function findIn(
  value: unknown,
  where: string,
  parts: Readonly<Record<string, string>> | undefined,
): { where: string; codePoint: string } | undefined {
  if (typeof value === 'string') {
    const codePoint = controlCharacterIn(value);
    return codePoint === undefined ? undefined : { where, codePoint };
  }
  if (Array.isArray(value)) {
    // 給与振込口座, 給与振込口座2, … as the CSV heads them.
    for (const [index, item] of value.entries()) {
      const found = findIn(item, index === 0 ? where : `${where}${index + 1}`, parts);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [part, item] of Object.entries(value)) {
      const found = findIn(item, `${where}（${parts?.[part] ?? part}）`, undefined);
      if (found) return found;
    }
  }
  return undefined;
}

/** One issue per field of a raw employee record that holds a control character. */
export function controlCharacterIssues(raw: unknown): FieldIssue[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  const record = raw as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const code = findIn(record.employeeCode, EMPLOYEE_CODE_LABEL, undefined);
  if (code) {
    issues.push({
      field: 'employeeCode',
      message: controlCharacterMessage(code.where, code.codePoint),
      value: record.employeeCode,
    });
  }
  for (const key of FIELD_KEYS) {
    const { label, parts } = fieldDefinition(key);
    const found = findIn(record[key], label, parts);
    if (found) {
      issues.push({
        field: key,
        message: controlCharacterMessage(found.where, found.codePoint),
        value: record[key],
      });
    }
  }
  return issues;
}
