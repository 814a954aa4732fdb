/**
 * The identifiers the matchers care about, in an open-addressing hash table that the WebAssembly lexer
 * (assembly/lexer.ts) probes with the bytes of each identifier it reads. A hit is confirmed by comparing
 * bytes, so no string is created for ordinary identifiers.
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

/**
 * Hash of an ASCII identifier as the WebAssembly lexer computes it: from its length and its first and last
 * four bytes, read as little-endian 32-bit words. Names shorter than four bytes use their bytes twice.
 */
export function identifierHash(name: string): number {
  const size = name.length;
  const word = (from: number, count: number) => {
    let value = 0;
    for (let index = 0; index < count; index++) value |= name.charCodeAt(from + index) << (index * 8);
    return value;
  };
  const first = word(0, Math.min(size, 4));
  const last = size >= 4 ? word(size - 4, 4) : first;
  let hash = (Math.imul(first, 0x9e3779b1) ^ Math.imul(last, 0x85ebca77) ^ size) >>> 0;
  hash ^= hash >>> 15;
  return hash | 0;
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
