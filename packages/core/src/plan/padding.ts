import type { PlanEntry } from './types.ts';

/** A numeric 社員番号 without its leading zeros (`000123` → `123`); other codes as they are. */
const unpadded = (code: string): string => (/^\d+$/.test(code) ? code.replace(/^0+(?=\d)/, '') : code);

/**
 * Source employees that would be 新規登録 while the target holds a code that differs only in leading
 * zeros (HR `123`, PCA `000123`): whether that is the same person cannot be told from the codes, and
 * creating a second record is the worse mistake. Such entries become `conflict` (not selectable)
 * with a reason naming both codes; the target's code stays listed as target-only.
 */
export function withPaddingLookalikes(entries: PlanEntry[], targetOnlyCodes: readonly string[]): PlanEntry[] {
  const byUnpadded = new Map<string, string[]>();
  for (const code of targetOnlyCodes) {
    const key = unpadded(code);
    byUnpadded.set(key, [...(byUnpadded.get(key) ?? []), code]);
  }
  if (byUnpadded.size === 0) return entries;
  return entries.map((entry) => {
    if (entry.status !== 'new') return entry;
    const lookalikes = byUnpadded.get(unpadded(entry.employeeCode));
    if (!lookalikes) return entry;
    return {
      ...entry,
      status: 'conflict',
      changes: [],
      selectable: false,
      issues: [
        {
          field: 'employeeCode',
          message: `社員番号「${entry.employeeCode}」は連携先の「${lookalikes.join('」「')}」と先頭の0だけが異なります。同じ人か別人か判断できないため新規登録しません（別人の可能性）。どちらかの社員番号を揃えてから同期してください。`,
        },
      ],
    };
  });
}
