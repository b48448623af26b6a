/** The first `limit` items, then 「ほかN件」: a message about thousands of employees stays readable. */
export function listSome(items: readonly string[], separator: string, limit = 10): string {
  const shown = items.slice(0, limit);
  if (items.length > limit) shown.push(`ほか${items.length - limit}件`);
  return shown.join(separator);
}
