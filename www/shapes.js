// Shape checks for the JSON values links carry (specs, runs): the state schema's `valid` tests.
// They check the shape only; the engine judges the values.

export function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `{ kind: string, ... }`: a schedule, optimizer or other spec. */
export function isSpecShaped(spec) {
  return isObject(spec) && typeof spec.kind === 'string';
}

/** 1 to `maxItems` items, each passing `isItem`. */
export function isList(value, maxItems, isItem) {
  return Array.isArray(value) && value.length >= 1 && value.length <= maxItems && value.every(isItem);
}
