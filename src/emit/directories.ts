/**
 * Directories that a build writes into but never creates in its log. Ninja and CMake make the object
 * directories (`CMakeFiles/app.dir/src`) and the build directory itself without printing a command, so the
 * translated build must create them before the first compile, archive or link that writes there. A
 * directory that contains a source file of the build is part of the source tree and exists already.
 *
 * Everything here works on rooted specifications (`SRC$ROOT:[A.B]`), whose levels are separated by dots that
 * ODS-5 escapes (`^.`) do not precede.
 */

/** Split the directory part of a rooted specification into the device and its levels. */
function levelsOf(spec: string): { device: string; levels: string[] } | undefined {
  const open = spec.indexOf("[");
  const close = closingBracket(spec);
  if (open < 0 || close < open) return undefined;
  const inside = spec.slice(open + 1, close);
  if (inside === "000000" || inside === "") return { device: spec.slice(0, open), levels: [] };
  const levels: string[] = [];
  let start = 0;
  for (let index = 0; index < inside.length; index++) {
    if (inside[index] === "^") index++;
    else if (inside[index] === ".") {
      levels.push(inside.slice(start, index));
      start = index + 1;
    }
  }
  levels.push(inside.slice(start));
  return { device: spec.slice(0, open), levels };
}

/** Index of the `]` that closes the directory part, skipping escaped `^]`. */
function closingBracket(spec: string): number {
  for (let index = 0; index < spec.length; index++) {
    if (spec[index] === "^") index++;
    else if (spec[index] === "]") return index;
  }
  return -1;
}

function directorySpec(device: string, levels: readonly string[]): string {
  return `${device}[${levels.length === 0 ? "000000" : levels.join(".")}]`;
}

/** Return the directory part of a rooted file specification: `ROOT:[A]B.C` gives `ROOT:[A]`. */
export function directoryOf(fileSpec: string): string | undefined {
  const close = closingBracket(fileSpec);
  return close < 0 ? undefined : fileSpec.slice(0, close + 1);
}

/**
 * Return the directory file that stands for a directory in its parent, for an `F$SEARCH` test:
 * `ROOT:[A.B]` gives `ROOT:[A]B.DIR`, `ROOT:[A]` gives `ROOT:[000000]A.DIR`.
 */
export function directoryFileOf(spec: string): string | undefined {
  const parsed = levelsOf(spec);
  if (parsed === undefined || parsed.levels.length === 0) return undefined;
  const last = parsed.levels[parsed.levels.length - 1] as string;
  return `${directorySpec(parsed.device, parsed.levels.slice(0, -1))}${last}.DIR`;
}

/** Tracks, in log order, which directories under the root logical the build needs created. */
export class DirectoryCreation {
  private readonly existing = new Set<string>();
  private readonly prefix: string;

  constructor(rootLogical: string) {
    this.prefix = `${rootLogical}:[`;
  }

  /** Record that a file exists before the build runs (a source file), and so do its directories. */
  sourceFile(fileSpec: string): void {
    const directory = directoryOf(fileSpec);
    if (directory !== undefined) this.markWithParents(directory);
  }

  /** Record a directory that a translated step of the log creates (`mkdir -p`, `install -d`). */
  made(directory: string): void {
    this.markWithParents(directory);
  }

  /**
   * Return the directories of `candidates` that no earlier step created or showed to exist, in order, and
   * count them as created from now on. Directories outside the root logical are left alone.
   */
  needed(candidates: readonly (string | undefined)[]): string[] {
    const created: string[] = [];
    for (const candidate of candidates) {
      if (candidate === undefined || !candidate.startsWith(this.prefix)) continue;
      if (this.existing.has(candidate) || directoryFileOf(candidate) === undefined) continue;
      created.push(candidate);
      // CREATE/DIRECTORY makes every missing level above the one it names.
      this.markWithParents(candidate);
    }
    return created;
  }

  private markWithParents(spec: string): void {
    const parsed = levelsOf(spec);
    if (parsed === undefined) return;
    for (let count = parsed.levels.length; count > 0; count--) {
      const directory = directorySpec(parsed.device, parsed.levels.slice(0, count));
      if (this.existing.has(directory)) return;
      this.existing.add(directory);
    }
  }
}
