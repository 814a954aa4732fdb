/**
 * The identifiers the matchers care about, in an open-addressing hash table the lexer probes with the
 * bytes of each identifier it reads. A hit is confirmed by comparing bytes, so no string is created for
 * ordinary identifiers; that keeps the scan of large trees fast.
 */

export interface SymbolTable {
  /** Slot per hash: symbol id + 1, or 0 when empty. */
  slots: Int32Array;
  hashes: Int32Array;
  mask: number;
  /** Names as bytes, per id. */
  bytes: Uint8Array[];
  ids: Map<string, number>;
  names: string[];
}

/** Hash of an identifier as the lexer computes it byte by byte. */
export function identifierHash(name: string): number {
  let hash = 0;
  for (let index = 0; index < name.length; index++) hash = (Math.imul(hash, 31) + name.charCodeAt(index)) | 0;
  return hash;
}

/** Build a table; ids are positions in `names`. Names are ASCII identifiers. */
export function buildSymbolTable(names: Iterable<string>): SymbolTable {
  const ids = new Map<string, number>();
  const list: string[] = [];
  for (const name of names) {
    if (ids.has(name)) continue;
    ids.set(name, list.length);
    list.push(name);
  }
  let size = 64;
  while (size < list.length * 4) size *= 2;
  const slots = new Int32Array(size);
  const hashes = new Int32Array(size);
  const mask = size - 1;
  for (const [id, name] of list.entries()) {
    const hash = identifierHash(name);
    let slot = hash & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = id + 1;
    hashes[slot] = hash;
  }
  return { slots, hashes, mask, bytes: list.map((name) => Buffer.from(name, "latin1")), ids, names: list };
}

/**
 * Symbol id of the identifier `bytes[start, end)` with hash `hash`, or -1. The byte comparison is a separate
 * function so that this one stays small enough for V8 to inline into the lexer (see SCAN_INLINING_LIMIT).
 */
export function lookupSymbol(
  table: SymbolTable,
  bytes: Uint8Array,
  start: number,
  end: number,
  hash: number,
): number {
  const slots = table.slots;
  let slot = hash & table.mask;
  for (;;) {
    const entry = slots[slot] as number;
    if (entry === 0) return -1;
    if (table.hashes[slot] === hash && isSymbol(table, entry - 1, bytes, start, end)) return entry - 1;
    slot = (slot + 1) & table.mask;
  }
}

/** Test whether `bytes[start, end)` are the bytes of the symbol `id`. */
function isSymbol(table: SymbolTable, id: number, bytes: Uint8Array, start: number, end: number): boolean {
  const name = table.bytes[id] as Uint8Array;
  if (name.length !== end - start) return false;
  for (let index = 0; index < name.length; index++) {
    if (name[index] !== bytes[start + index]) return false;
  }
  return true;
}
