import { type ConnectorFields, canRead, canWrite } from '../connector.ts';
import {
  type Employee,
  FIELD_KEYS,
  type FieldIssue,
  type FieldKey,
  type ListedEmployee,
} from '../employee.ts';
import { type FieldDefinition, fieldDefinition } from '../fields.ts';
import { normaliseEmployeeCode } from '../normalise/employee-code.ts';
import { isNormalText, normaliseText } from '../normalise/text.ts';
import {
  canonicalJson,
  fieldOrdinal,
  fingerprintField,
  finishFingerprint,
  startFingerprint,
  Unreadable,
} from './fingerprint.ts';
import { identityMismatch, identityOf } from './identity.ts';
import { naturalSortKey, sortNatural } from './natural-sort.ts';
import { comparedDefinition } from './org-ref-match.ts';
import { withPaddingLookalikes } from './padding.ts';
import {
  type FieldChange,
  isWriting,
  type OrgRefMatch,
  type Plan,
  type PlanEntry,
  type PlanStatus,
  type PlanSummary,
  type SyncMode,
  type SyncModes,
} from './types.ts';

/** One side of a plan: what its connector carries, and its records as listed. */
export interface PlanSide {
  fields: ConnectorFields;
  records: Iterable<ListedEmployee>;
}

export interface PlanOptions {
  /** Per-field sync modes of the connection; `update` where none is given. */
  modes?: SyncModes;
  /** Narrows the compared fields (the connection's field selection). */
  fields?: readonly FieldKey[];
  /**
   * How 社員番号 are matched when not by equality (a session's `employeeCodeKey`, e.g. PCA areas
   * where `00123` and `123` are one employee): records match, and duplicates are found, on
   * `codeKey(code)`. Entries keep the source's own code (and the matched target's in
   * `targetEmployeeCode` where it differs); target-only codes keep the target's.
   */
  codeKey?: (code: string) => string;
  /**
   * How OrgRef values (雇用形態, 部署, 役職, 社員区分) are matched: `code` (default) by code when both
   * have one, else by name; `name` by name alone, writing the name without a code so the target
   * resolves it in its own master. Recorded in the plan: apply's stale check must use the same.
   */
  orgRefMatch?: OrgRefMatch;
}

interface Compared {
  fields: readonly FieldKey[];
  definitions: readonly FieldDefinition[];
  modes: readonly SyncMode[];
  /** The parts of structured fields (OrgRef, address, bank accounts). */
  partKeys: readonly (readonly string[] | undefined)[];
  /** Each field's place in the catalog, for the fingerprint. */
  ordinals: readonly number[];
}

/**
 * The changes or issues of an entry that has none: one shared, frozen empty list, so the unchanged
 * majority of a large plan allocates no lists (typed mutable like every entry's, but never written).
 */
const NONE = Object.freeze([]) as unknown as never[];

/**
 * The diff (docs/architecture.md, "Plans"): per source employee, what writing it to the target would change. Pure and
 * deterministic (independent of record order). Compared fields are those the source reads and the
 * target writes, not `skip`, narrowed by `options.fields`; each value is normalised once.
 *
 * - `new`: no target record; the changes list every non-empty value to write (`before: null`).
 * - `changed` / `unchanged`: by mode — `update` writes a non-empty source value that differs,
 *   `mirror` also clears (`after: null`) where the source is empty, `fill-if-empty` writes only
 *   into an empty target value. An empty source value never blanks the target otherwise.
 * - `invalid`: the source record (or one of its compared values) cannot be read, or the target's
 *   record for that 社員番号 cannot be read (nothing safe to diff against); not selectable.
 * - `conflict`: the 社員番号 appears more than once in the source or in the target, or would be new
 *   while the target holds it with other leading zeros (`123` ⇔ `000123`, 別人の可能性); not selectable.
 * - `identity_mismatch`: the 社員番号 matches a target record of, likely, another person (see
 *   `identityMismatch`); its changes are what writing it would do, and `identity` shows both people.
 *   Selectable, but only ticked one by one (the hub also asks for a second confirmation).
 * Target records whose 社員番号 the source lacks are listed in `targetOnlyCodes`, never deleted.
 *
 * `plan(source, target)` is `createPlanner` fed every record, then `finish()`.
 */
export function plan(source: PlanSide, target: PlanSide, options: PlanOptions = {}): Plan {
  const planner = createPlanner(source.fields, target.fields, options);
  for (const record of target.records) planner.addTarget(record);
  for (const record of source.records) planner.addSource(record);
  return planner.finish();
}

/**
 * A plan built as the records arrive (while a vendor is still paging, time otherwise spent waiting):
 * `addSource` / `addTarget` in any order, interleaved. A pair is diffed the moment its second record
 * arrives; a later duplicate of either 社員番号 turns it into 重複 (the diff is dropped). `finish()`
 * then only writes the entries of sources no target matched, marks padding lookalikes, counts and
 * sorts. The result is `plan`'s, whatever the arrival order.
 */
export interface Planner {
  addSource(record: ListedEmployee): void;
  addTarget(record: ListedEmployee): void;
  /** The plan of every record added; call once, after the last record. */
  finish(): Plan;
}

export function createPlanner(
  sourceFields: ConnectorFields,
  targetFields: ConnectorFields,
  options: PlanOptions = {},
): Planner {
  const modes = Object.fromEntries(
    FIELD_KEYS.map((key) => [key, options.modes?.[key] ?? 'update']),
  ) as Record<FieldKey, SyncMode>;
  const narrowed = options.fields ? new Set(options.fields) : undefined;
  const fields = FIELD_KEYS.filter(
    (key) =>
      canRead(sourceFields[key]) &&
      canWrite(targetFields[key]) &&
      modes[key] !== 'skip' &&
      (narrowed === undefined || narrowed.has(key)),
  );
  const { orgRefMatch = 'code', codeKey } = options;
  const compared: Compared = {
    fields,
    // Chosen once per field, so the hot path never asks how OrgRefs match.
    definitions: fields.map((key) => comparedDefinition(key, orgRefMatch)),
    modes: fields.map((key) => modes[key]),
    partKeys: fields.map((key) => {
      const { parts } = fieldDefinition(key);
      return parts ? Object.keys(parts) : undefined;
    }),
    ordinals: fields.map(fieldOrdinal),
  };
  const matches = new Map<string, Match>();
  const uncoded: ListedEmployee[] = [];
  let finished = false;

  function matchFor(key: string): Match {
    let match = matches.get(key);
    if (match === undefined) {
      match = {
        source: undefined,
        target: undefined,
        sourceCode: '',
        targetCode: '',
        sources: undefined,
        targets: undefined,
        entry: undefined,
        sortKey: '',
      };
      matches.set(key, match);
    }
    return match;
  }

  /** The pair is complete and unique: diff it now (any duplicate arriving later drops the entry). */
  function settle(match: Match): void {
    if (match.source === undefined || match.target === undefined || match.sources || match.targets) {
      match.entry = undefined;
      return;
    }
    match.entry = entryFor(match.sourceCode, match.source, match.target, compared);
  }

  return {
    addTarget(record) {
      const code = matchCode(record);
      // Target records without a 社員番号 match nothing.
      if (code === undefined) return;
      const match = matchFor(codeKey ? codeKey(code) : code);
      if (match.target === undefined) {
        match.target = record;
        match.targetCode = code;
      } else if (match.targets) match.targets.push(record);
      else match.targets = [match.target, record];
      settle(match);
    },
    addSource(record) {
      const code = matchCode(record);
      if (code === undefined) {
        uncoded.push(record);
        return;
      }
      const match = matchFor(codeKey ? codeKey(code) : code);
      if (match.source === undefined) {
        match.source = record;
        match.sourceCode = code;
        match.sortKey = naturalSortKey(code);
      } else if (match.sources) match.sources.push(record);
      else match.sources = [match.source, record];
      settle(match);
    },
    finish() {
      if (finished) throw new Error('createPlanner: finish() was called twice');
      finished = true;
      return finishPlan(compared, modes, orgRefMatch, matches, uncoded);
    },
  };
}

function finishPlan(
  compared: Compared,
  modes: Record<FieldKey, SyncMode>,
  orgRefMatch: OrgRefMatch,
  matches: Map<string, Match>,
  uncoded: readonly ListedEmployee[],
): Plan {
  const entries: PlanEntry[] = [];
  // Each entry's natural sort key and the text it was made from (ties: E01 before E1).
  const keys: string[] = [];
  const texts: string[] = [];
  for (const record of uncoded) {
    const entry = invalidEntry('', recordIssues(record), undefined);
    entries.push(entry);
    // Records without a 社員番号 share the key '': their issues order them.
    const text = `\u0000${canonicalJson(entry.issues)}`;
    keys.push(naturalSortKey(text));
    texts.push(text);
  }
  const targetOnlyCodes: string[] = [];
  for (const match of matches.values()) {
    const { source } = match;
    if (source === undefined) {
      targetOnlyCodes.push(match.targets ? smallestCode(match.targets) : match.targetCode);
      continue;
    }
    if (match.sources || match.targets) {
      const code = match.sources ? smallestCode(match.sources) : match.sourceCode;
      entries.push(conflictEntry(code, match.sources ?? [source], match.targets ?? []));
      keys.push(naturalSortKey(code));
      texts.push(code);
      continue;
    }
    // Diffed as the pair completed; a source without a target is 新規登録 (or invalid).
    entries.push(match.entry ?? entryFor(match.sourceCode, source, undefined, compared));
    keys.push(match.sortKey);
    texts.push(match.sourceCode);
  }

  const checked = withPaddingLookalikes(entries, targetOnlyCodes);
  const summary: PlanSummary = {
    new: 0,
    changed: 0,
    unchanged: 0,
    invalid: 0,
    conflict: 0,
    identity_mismatch: 0,
    targetOnly: 0,
  };
  for (const entry of checked) summary[entry.status]++;
  summary.targetOnly = targetOnlyCodes.length;

  return {
    version: 1,
    fields: compared.fields as FieldKey[],
    modes,
    // Only when not the default, so plans made with `code` read as they always did.
    ...(orgRefMatch === 'name' ? { orgRefMatch } : {}),
    entries: sortByKeys(checked, keys, texts),
    targetOnlyCodes: sortNatural(targetOnlyCodes, (code) => code),
    summary,
  };
}

/** The records of one match key (the normalised 社員番号, or its `codeKey`) on both sides. */
interface Match {
  /** The first record of each side with this key. */
  source: ListedEmployee | undefined;
  target: ListedEmployee | undefined;
  /** Their normalised 社員番号 (their own spelling, which a codeKey may not share). */
  sourceCode: string;
  targetCode: string;
  /** Every record of a side where the key appears more than once: a conflict. */
  sources: ListedEmployee[] | undefined;
  targets: ListedEmployee[] | undefined;
  /** The diff of `source` against `target`, made when the pair completed; undefined otherwise. */
  entry: PlanEntry | undefined;
  /** The natural sort key of `sourceCode`. */
  sortKey: string;
}

/**
 * `sortNatural` with the keys computed beforehand: by key, then by the text it was made from. Records
 * listed in 社員番号 order arrive nearly sorted, which V8's TimSort takes in about one pass.
 */
function sortByKeys<T>(items: readonly T[], keys: readonly string[], texts: readonly string[]): T[] {
  const order = Array.from(items.keys());
  order.sort((a, b) => {
    const x = keys[a] as string;
    const y = keys[b] as string;
    if (x !== y) return x < y ? -1 : 1;
    const p = texts[a] as string;
    const q = texts[b] as string;
    return p < q ? -1 : p > q ? 1 : 0;
  });
  return order.map((index) => items[index] as T);
}

/** The code shown for records that share a key: the smallest, so record order does not matter. */
function smallestCode(records: readonly ListedEmployee[]): string {
  return records.map((record) => matchCode(record) as string).sort()[0] as string;
}

/** A record's 社員番号 after NFKC and trimming; undefined when it has none. */
function matchCode(record: ListedEmployee): string | undefined {
  const raw = record.ok ? record.employee.employeeCode : record.employeeCode;
  if (isNormalText(raw)) return raw;
  const code = normaliseEmployeeCode(raw);
  return code.ok ? code.value : undefined;
}

function recordIssues(record: ListedEmployee): FieldIssue[] {
  if (!record.ok) return record.issues;
  return [{ field: 'employeeCode', message: '社員番号: 社員番号がありません' }];
}

function entryFor(
  code: string,
  source: ListedEmployee,
  targetRecord: ListedEmployee | undefined,
  compared: Compared,
): PlanEntry {
  const target = targetRecord?.ok ? targetRecord.employee : undefined;
  if (!source.ok) return invalidEntry(code, source.issues, displayName(target));
  const name = displayName(source.employee) ?? displayName(target);
  if (targetRecord && !target) {
    const issues = (targetRecord.ok ? [] : targetRecord.issues).map((issue) => ({
      ...issue,
      message: `連携先のデータ: ${issue.message}`,
    }));
    return invalidEntry(code, issues, name);
  }
  const result = diff(code, source.employee, target, compared, name);
  if (target && result.status !== 'invalid' && identityMismatch(source.employee, target)) {
    result.status = 'identity_mismatch';
    result.identity = { source: identityOf(source.employee), target: identityOf(target) };
  }
  // Matched through a codeKey (000123 ⇔ 123): the target is read and updated under its own code.
  if (target && target.employeeCode !== code) result.targetEmployeeCode = target.employeeCode;
  return result;
}

/**
 * The hot path: one pass over the compared fields, each value normalised once (a target value
 * identical to the source value is not normalised again), changes decided by the field's mode, and
 * the target's normalised values fed to the fingerprint as they are found.
 */
function diff(
  code: string,
  source: Employee,
  target: Employee | undefined,
  compared: Compared,
  name: string | undefined,
): PlanEntry {
  const { fields, definitions, modes, partKeys, ordinals } = compared;
  let changes: FieldChange[] = NONE;
  let issues: FieldIssue[] = NONE;
  if (target) startFingerprint();
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as FieldKey;
    const definition = definitions[i] as FieldDefinition;
    const raw = source[field];
    let after: unknown;
    if (definition.isNormal(raw)) after = raw;
    else if (raw !== undefined) {
      const read = definition.normalise(raw);
      if (!read.ok) {
        if (issues === NONE) issues = [];
        issues.push({ field, message: `${definition.label}: ${read.message}`, value: raw });
        continue;
      }
      after = read.value;
    }
    if (!target) {
      if (after !== undefined) {
        if (changes === NONE) changes = [];
        changes.push({ field, before: null, after });
      }
      continue;
    }
    const targetRaw = target[field];
    const parts = partKeys[i];
    let before: unknown;
    if (targetRaw === raw || (parts !== undefined && sameParts(targetRaw, raw, parts))) {
      // The same value: nothing to write under any mode.
      if (after !== undefined) fingerprintField(ordinals[i] as number, after, parts);
      continue;
    }
    if (definition.isNormal(targetRaw)) before = targetRaw;
    else if (targetRaw !== undefined) {
      const read = definition.normalise(targetRaw);
      before = read.ok ? read.value : new Unreadable(targetRaw);
    }
    if (before !== undefined) fingerprintField(ordinals[i] as number, before, parts);
    let change: FieldChange | undefined;
    if (after === undefined) {
      if (before !== undefined && modes[i] === 'mirror')
        change = { field, before: shown(before), after: null };
    } else if (before === undefined) {
      change = { field, before: null, after };
    } else if (
      before !== after &&
      modes[i] !== 'fill-if-empty' &&
      (before instanceof Unreadable || !definition.equals(after, before))
    ) {
      change = { field, before: shown(before), after };
    }
    if (change) {
      if (changes === NONE) changes = [];
      changes.push(change);
    }
  }
  if (issues !== NONE) return invalidEntry(code, issues, name);
  if (!target) return entry(code, 'new', name, changes, issues, null);
  const fingerprint = finishFingerprint();
  return entry(code, changes === NONE ? 'unchanged' : 'changed', name, changes, issues, fingerprint);
}

/**
 * Whether two raw structured values hold the same parts (a list of accounts item by item). Normalisers
 * read only those parts, so such values normalise alike and the target's need not be normalised again.
 */
function sameParts(a: unknown, b: unknown, parts: readonly string[]): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !sameParts(a[i], b[i], parts)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const value = (a as Record<string, unknown>)[part];
    if (value !== (b as Record<string, unknown>)[part] || (typeof value === 'object' && value !== null))
      return false;
  }
  return true;
}

/** An unreadable target value is shown as it was read (JSON-safe, so the plan round-trips). */
const shown = (value: unknown): unknown => {
  if (!(value instanceof Unreadable)) return value;
  const { raw } = value;
  return typeof raw === 'object' && raw !== null ? JSON.parse(canonicalJson(raw)) : raw;
};

function conflictEntry(code: string, sources: ListedEmployee[], targets: ListedEmployee[]): PlanEntry {
  const issues: FieldIssue[] = [];
  for (const [records, side] of [
    [sources, '連携元'],
    [targets, '連携先'],
  ] as const) {
    if (records.length < 2) continue;
    // With a codeKey, different spellings (00123, 123) can be one employee: name them.
    const spellings = [...new Set(records.map(matchCode))].sort();
    const detail = spellings.length > 1 ? `（${spellings.join('、')}）` : '';
    issues.push({
      field: 'employeeCode',
      message: `社員番号「${code}」が${side}に${records.length}件あります${detail}`,
    });
  }
  // The smallest name, so the entry does not depend on which duplicate came first.
  const names = [...sources, ...targets]
    .map((record) => (record.ok ? displayName(record.employee) : undefined))
    .filter((name): name is string => name !== undefined)
    .sort();
  return entry(code, 'conflict', names[0], NONE, issues, null);
}

function invalidEntry(code: string, issues: FieldIssue[], name: string | undefined): PlanEntry {
  return entry(code, 'invalid', name, NONE, issues, null);
}

function entry(
  employeeCode: string,
  status: PlanStatus,
  name: string | undefined,
  changes: FieldChange[],
  issues: FieldIssue[],
  fingerprint: string | null,
): PlanEntry {
  const selectable = isWriting({ status }) || status === 'unchanged';
  return name === undefined
    ? { employeeCode, status, changes, issues, fingerprint, selectable }
    : { employeeCode, status, name, changes, issues, fingerprint, selectable };
}

/** 姓 名 for the picker, normalised; undefined when the record has neither. */
function displayName(employee: Employee | undefined): string | undefined {
  if (!employee) return undefined;
  const last = typeof employee.lastName === 'string' ? normaliseText(employee.lastName) : '';
  const first = typeof employee.firstName === 'string' ? normaliseText(employee.firstName) : '';
  if (last === '' || first === '') return last || first || undefined;
  return `${last} ${first}`;
}
