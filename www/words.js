// Words the page's generated sentences share.

/** "a", "a and b", "a, b and c" ('' for none). */
export function listed(items) {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "a" or "an" before a whole number written in digits, as it is read aloud: "an 8-arm spiral", "an 11", "a 3". */
export function articleFor(n) {
  const digits = String(n);
  return digits.startsWith('8') || digits === '11' || digits === '18' ? 'an' : 'a';
}
