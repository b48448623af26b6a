import {
  type ConnectorFields,
  createPlanner,
  type Employee,
  FIELD_KEYS,
  type ListedEmployee,
  plan,
} from '@renkei/core';
import { naiveArrival, naiveNormalisedPlan, naivePlan } from './naive.ts';

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

/**
 * The comparison split where a preview splits it: `arrive` takes every record as it is listed (the
 * master's first, then the drifted copy's, as a local HR master and a paging vendor deliver them)
 * and returns the step that runs after the last record arrived.
 */
export const PHASED = {
  plan(source: readonly ListedEmployee[], target: readonly ListedEmployee[]): () => Counts {
    const planner = createPlanner(EVERY_FIELD, EVERY_FIELD);
    for (const record of target) planner.addTarget(record);
    for (const record of source) planner.addSource(record);
    return () => {
      const { summary } = planner.finish();
      return { new: summary.new, changed: summary.changed, unchanged: summary.unchanged };
    };
  },
  naive: naiveArrival,
} satisfies Record<
  string,
  (source: readonly ListedEmployee[], target: readonly ListedEmployee[]) => () => Counts
>;
