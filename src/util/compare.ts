/**
 * Compare two strings by UTF-16 code units, the order that `<` gives. Unlike `localeCompare`, the order does
 * not depend on the user's locale, so sorted output is the same on every machine.
 */
export function compareText(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
