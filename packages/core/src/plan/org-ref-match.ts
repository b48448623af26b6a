import { FIELD_KEYS, type FieldKey, type OrgRef } from '../employee.ts';
import { type FieldDefinition, fieldDefinition } from '../fields.ts';
import { fail, ok } from '../normalise/result.ts';
import type { OrgRefMatch } from './types.ts';

/**
 * An OrgRef field read by name only: its normal form drops the code (a code without a name cannot
 * be read), and two values are the same when their names are. What plan compares, writes and
 * fingerprints under `orgRefMatch: 'name'`.
 */
function byName(definition: FieldDefinition): FieldDefinition {
  const { normalise, isNormal } = definition as FieldDefinition<OrgRef>;
  return {
    ...definition,
    normalise(value) {
      const read = normalise(value);
      if (!read.ok || read.value?.code === undefined) return read;
      // A code alone cannot be matched by name: saying so beats treating it as empty (under
      // mirror, that would clear the other side's value).
      if (read.value.name === '')
        return fail(`コード「${read.value.code}」だけで名称がないため、名称で照合できません`);
      return ok({ name: read.value.name });
    },
    isNormal: (value) => isNormal(value) && (value as OrgRef).code === undefined,
    equals: (a, b) => (a as OrgRef).name === (b as OrgRef).name,
  };
}

const BY_NAME = new Map(
  FIELD_KEYS.filter((key) => fieldDefinition(key).type === 'orgRef').map((key) => [
    key,
    byName(fieldDefinition(key)),
  ]),
);

/** The definition plan compares a field with: the catalog's, or an OrgRef's by-name variant. */
export function comparedDefinition(field: FieldKey, orgRefMatch: OrgRefMatch = 'code'): FieldDefinition {
  return (orgRefMatch === 'name' ? BY_NAME.get(field) : undefined) ?? fieldDefinition(field);
}
