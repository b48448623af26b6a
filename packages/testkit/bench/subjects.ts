import { type ConnectorFields, type Employee, FIELD_KEYS, type ListedEmployee, plan } from '@renkei/core';
import { naiveNormalisedPlan, naivePlan } from './naive.ts';

export interface Counts {
  new: number;
  changed: number;
  unchanged: number;
}

/** Both sides read and write every field: the widest comparison plan can be asked for. */
const EVERY_FIELD: ConnectorFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'readWrite']));

/** Records as connectors list them. */
export const listed = (employees: readonly Employee[]): ListedEmployee[] =>
  employees.map((employee) => ({ ok: true, employee }));

export const SUBJECTS = {
  plan(source: readonly ListedEmployee[], target: readonly ListedEmployee[]): Counts {
    const { summary } = plan(
      { fields: EVERY_FIELD, records: source },
      { fields: EVERY_FIELD, records: target },
    );
    return { new: summary.new, changed: summary.changed, unchanged: summary.unchanged };
  },
  naive: naivePlan,
  naiveNormalised: naiveNormalisedPlan,
} satisfies Record<string, (source: readonly ListedEmployee[], target: readonly ListedEmployee[]) => Counts>;

export type Subject = keyof typeof SUBJECTS;
