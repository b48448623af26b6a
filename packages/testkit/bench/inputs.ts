import type { Employee, ListedEmployee } from '@renkei/core';
import { drift, generateEmployees } from '../src/generate/index.ts';
import { listed } from './subjects.ts';

/** What the plan benchmark compares: an external system's drifted copy against the HR master. */
export interface PlanInputs {
  /** The drifted copy (source of the plan): 5 % changed, 1 % new, 20 % in other notations. */
  source: ListedEmployee[];
  /** The master (target of the plan). */
  target: ListedEmployee[];
  /** Codes the plan must report as changed / new. */
  expected: { changed: number; added: number };
}

export function planInputs(size: number, seed = 2026): PlanInputs {
  const target = generateEmployees({ count: size, seed });
  const drifted = drift(target, { seed: seed + 1, changed: 0.05, added: 0.01, cosmetic: 0.2 });
  return {
    // As a connector returns them: parsed from JSON, so no string is shared with the master.
    source: listed(JSON.parse(JSON.stringify(drifted.employees)) as Employee[]),
    target: listed(target),
    expected: { changed: drifted.changed.length, added: drifted.added.length },
  };
}
