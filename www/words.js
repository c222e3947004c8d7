// Words the page's generated sentences share.

/** "a", "a and b", "a, b and c" ('' for none). */
export function listed(items) {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
