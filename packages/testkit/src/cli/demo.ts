import {
  type ConnectorFields,
  FIELD_KEYS,
  formatPlanTable,
  type ListedEmployee,
  plan,
  summaryLine,
} from '@renkei/core';
import { drift, generateEmployees } from '../generate/index.ts';

export interface PlanDemoOptions {
  count?: number;
  seed?: number;
  /** ANSI colours (struck-through red old values, green new ones). */
  color?: boolean;
}

const EVERY_FIELD: ConnectorFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'readWrite']));

/**
 * The plan an HR admin would preview for 外部システム → 社員名簿: a generated 社員名簿 and an external
 * copy of it that drifted (renames, moves, retirements, new hires, and notation-only variants that
 * must show as 差分なし), as the Japanese diff table with a Terraform-style summary.
 */
export function renderPlanDemo({ count = 40, seed = 2026, color = false }: PlanDemoOptions = {}): string {
  const master = generateEmployees({ count, seed });
  const external = drift(master, { seed: seed + 1, changed: 0.15, added: 0.05, cosmetic: 0.3 });
  const listed = (employees: typeof master): ListedEmployee[] =>
    employees.map((employee) => ({ ok: true, employee }));
  const result = plan(
    { fields: EVERY_FIELD, records: listed(external.employees) },
    { fields: EVERY_FIELD, records: listed(master) },
  );
  return [
    `連携プレビュー: 外部システム → 社員名簿（${count}名、シード ${seed}）`,
    '',
    formatPlanTable(result, { color }),
    '',
    `Plan: ${summaryLine(result)}.`,
  ].join('\n');
}
