/**
 * Whether `value` is a plain object whose keys are all in `allowed` and none holds undefined: the
 * shape a normalised value has, so an already-normal input can be returned as it is.
 */
export function hasOnlyKeys(value: object, allowed: readonly string[]): boolean {
  for (const key in value) {
    if (!allowed.includes(key) || (value as Record<string, unknown>)[key] === undefined) return false;
  }
  return true;
}
