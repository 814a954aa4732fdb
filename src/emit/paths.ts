import path from "node:path/posix";
import type { BuildStep } from "../model/steps.js";
import { unixDirectoryToVms, unixToVms } from "../vms/filespec.js";

/**
 * Path translation for one build: every Unix path of a step becomes an OpenVMS specification valid while the
 * process default is that step's directory. The procedure defines `rootLogical` as a concealed rooted logical
 * for the top of the source tree (the directory the procedure sits in), so step directories are written as
 * `ROOT:[A.B]` and files below the root can be named from anywhere.
 */
export interface PathContextOptions {
  /** Absolute Unix directory the procedure stands for; default: the deepest directory containing every step. */
  sourceRoot?: string;
  /** Logical name for the source root, without the colon. */
  rootLogical: string;
  /** Write absolute paths inside the root as `ROOT:[…]` (true when the user named the logical). */
  absoluteViaLogical: boolean;
}

/** A Unix path the build uses that lies outside the source root, with the step that used it. */
export interface OutsidePath {
  path: string;
  stepIndex: number;
}

export class PathContext {
  readonly sourceRoot: string | undefined;
  readonly rootLogical: string;
  private readonly absoluteViaLogical: boolean;
  /** Absolute paths outside the source root, in first-use order; the summary reports them. */
  readonly outside = new Map<string, OutsidePath>();
  /** Relative paths that leave the source root from their step's directory, in first-use order. */
  readonly aboveRoot = new Set<string>();
  /** Translations by step directory, then kind and path. Nested maps avoid building long string keys. */
  private readonly cache = new Map<string, DirectoryCache>();
  /** The entry of `cache` used last, because consecutive calls nearly always come from one step. */
  private lastDirectory: string | undefined;
  private lastEntry: DirectoryCache | undefined;

  constructor(options: PathContextOptions) {
    this.sourceRoot =
      options.sourceRoot === undefined ? undefined : trimSlash(path.normalize(options.sourceRoot));
    this.rootLogical = options.rootLogical;
    this.absoluteViaLogical = options.absoluteViaLogical;
  }

  /** Unix path relative to the source root, or undefined when `directory` lies outside it. */
  relativeToRoot(directory: string): string | undefined {
    if (!path.isAbsolute(directory)) return trimSlash(path.normalize(directory));
    if (this.sourceRoot === undefined) return undefined;
    const relative = path.relative(this.sourceRoot, directory);
    if (relative === "") return ".";
    if (relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
    return relative;
  }

  /** Return the `SET DEFAULT` target for a step directory: `ROOT:[A.B]`, `ROOT:[000000]` or an absolute spec. */
  directorySpec(directory: string, stepIndex: number): string {
    const entry = this.entryFor(directory);
    if (entry.spec === undefined) entry.spec = this.computeDirectorySpec(directory, stepIndex);
    return entry.spec;
  }

  /** Return `ROOT:[A.B]` for a directory inside the source root, or undefined, without noting outside paths. */
  rootedDirectory(directory: string): string | undefined {
    const relative = this.relativeToRoot(directory);
    if (relative === undefined || relative.startsWith("..")) return undefined;
    if (relative === ".") return `${this.rootLogical}:[000000]`;
    return `${this.rootLogical}:[${upper(unixDirectoryToVms(relative).spec).slice(2)}`;
  }

  private computeDirectorySpec(directory: string, stepIndex: number): string {
    const relative = this.relativeToRoot(directory);
    if (relative === undefined || relative.startsWith("..")) {
      this.noteOutside(directory, stepIndex);
      return upper(unixDirectoryToVms(path.resolve("/", directory)).spec);
    }
    if (relative === ".") return `${this.rootLogical}:[000000]`;
    const spec = upper(unixDirectoryToVms(relative).spec);
    return `${this.rootLogical}:[${spec.slice(2)}`;
  }

  /**
   * Translate a file path used by a step that runs in `directory`. Relative paths stay relative, because they
   * are read against the step's default directory. Absolute paths inside the root become relative or use the
   * root logical. Absolute paths outside it are translated as the C run-time library would, and recorded.
   */
  file(unixPath: string, directory: string, stepIndex: number, explicitCurrentDirectory = false): string {
    return this.translate(unixPath, directory, stepIndex, false, explicitCurrentDirectory);
  }

  /** Like `file`, for a path that names a directory. */
  directory(unixPath: string, directory: string, stepIndex: number): string {
    return this.translate(unixPath, directory, stepIndex, true, false);
  }

  private translate(
    unixPath: string,
    directory: string,
    stepIndex: number,
    isDirectory: boolean,
    explicitCurrentDirectory: boolean,
  ): string {
    const entry = this.entryFor(directory);
    let cache = explicitCurrentDirectory ? entry.explicitFiles : entry.files;
    if (isDirectory) cache = entry.directories;
    let value = cache.get(unixPath);
    if (value === undefined) {
      value = this.computeTranslation(unixPath, directory, stepIndex, isDirectory, explicitCurrentDirectory);
      cache.set(unixPath, value);
    }
    return value;
  }

  private computeTranslation(
    unixPath: string,
    directory: string,
    stepIndex: number,
    isDirectory: boolean,
    explicitCurrentDirectory: boolean,
  ): string {
    let target = unixPath;
    if (path.isAbsolute(unixPath)) {
      const relative = this.sourceRoot === undefined ? undefined : path.relative(this.sourceRoot, unixPath);
      const inside = relative !== undefined && !relative.startsWith("..") && !path.isAbsolute(relative);
      if (!inside) {
        this.noteOutside(unixPath, stepIndex);
      } else if (this.absoluteViaLogical || !path.isAbsolute(directory)) {
        const roots = [{ unixPrefix: this.sourceRoot ?? "/", logical: this.rootLogical }];
        const translate = isDirectory ? unixDirectoryToVms : unixToVms;
        return upper(translate(unixPath, { roots, case: "upper" }).spec);
      } else {
        target = path.relative(directory, unixPath) || ".";
      }
    }
    if (target === unixPath && !path.isAbsolute(unixPath) && this.climbsAboveRoot(unixPath, directory))
      this.aboveRoot.add(unixPath);
    const options = { case: "upper" as const, explicitCurrentDirectory };
    if (isDirectory) return upper(unixDirectoryToVms(target, options).spec);
    return upper(unixToVms(target, options).spec);
  }

  /**
   * Absolute specification of a file for use from any directory: `ROOT:[A.B]F.C` inside the root, the
   * CRTL-style translation outside it. MMS targets and run-time logical names use this form.
   */
  rooted(unixPath: string, directory: string, stepIndex: number): string {
    const cache = this.entryFor(directory).rooted;
    let value = cache.get(unixPath);
    if (value === undefined) {
      value = this.computeRooted(unixPath, directory, stepIndex);
      cache.set(unixPath, value);
    }
    return value;
  }

  private computeRooted(unixPath: string, directory: string, stepIndex: number): string {
    const absolute = path.isAbsolute(unixPath)
      ? unixPath
      : path.isAbsolute(directory)
        ? path.join(directory, unixPath)
        : undefined;
    if (absolute !== undefined && this.sourceRoot !== undefined) {
      const relative = path.relative(this.sourceRoot, absolute);
      if (relative.startsWith("..") || path.isAbsolute(relative)) {
        this.noteOutside(absolute, stepIndex);
        return upper(unixToVms(absolute, { case: "upper" }).spec);
      }
      return this.underRoot(relative);
    }
    const relative = path.normalize(path.join(directory, unixPath));
    if (relative.startsWith("..") || path.isAbsolute(relative))
      return upper(unixToVms(relative, { case: "upper" }).spec);
    return this.underRoot(relative);
  }

  private underRoot(relative: string): string {
    const spec = upper(unixToVms(relative, { case: "upper" }).spec);
    if (spec.startsWith("[.")) return `${this.rootLogical}:[${spec.slice(2)}`;
    return `${this.rootLogical}:[000000]${spec}`;
  }

  /**
   * Return the translations made so far for steps in `directory`. Build logs repeat the same include
   * directories and objects in thousands of commands, so every translation is computed once per (directory,
   * path). The first computation records a path outside the root, so the report names the first step that
   * used it.
   */
  private entryFor(directory: string): DirectoryCache {
    if (directory === this.lastDirectory && this.lastEntry !== undefined) return this.lastEntry;
    let entry = this.cache.get(directory);
    if (entry === undefined) {
      entry = { files: new Map(), explicitFiles: new Map(), directories: new Map(), rooted: new Map() };
      this.cache.set(directory, entry);
    }
    this.lastDirectory = directory;
    this.lastEntry = entry;
    return entry;
  }

  /** Tell whether a relative path, read in a step directory inside the root, leads above the root. */
  private climbsAboveRoot(unixPath: string, directory: string): boolean {
    if (!path.normalize(unixPath).startsWith("..")) return false;
    const base = this.relativeToRoot(directory);
    if (base === undefined || base.startsWith("..")) return false;
    const joined = path.normalize(path.join(base, unixPath));
    return joined === ".." || joined.startsWith("../");
  }

  private noteOutside(unixPath: string, stepIndex: number): void {
    if (!this.outside.has(unixPath)) this.outside.set(unixPath, { path: unixPath, stepIndex });
  }
}

/** Translations for the steps of one directory, by Unix path. */
interface DirectoryCache {
  /** The `SET DEFAULT` target of the directory itself. */
  spec?: string;
  files: Map<string, string>;
  /** Files whose relative form keeps an explicit `[]` for the current directory. */
  explicitFiles: Map<string, string>;
  directories: Map<string, string>;
  rooted: Map<string, string>;
}

function trimSlash(text: string): string {
  return text.length > 1 && text.endsWith("/") ? text.slice(0, -1) : text;
}

/**
 * Upper-case the ASCII letters of a specification outside caret escapes. `unixToVms` with `case: "upper"`
 * already does this; the call keeps specs built here by concatenation consistent.
 */
function upper(spec: string): string {
  return spec.replace(/[a-z]/g, (letter) => letter.toUpperCase());
}

/**
 * Find the deepest directory that contains every absolute step directory, or undefined when the log names none.
 * This is the default source root: the directory the generated procedure is meant to be placed in.
 */
export function commonRoot(directories: Iterable<string>): string | undefined {
  let common: string[] | undefined;
  for (const directory of directories) {
    if (!path.isAbsolute(directory)) continue;
    const parts = path
      .normalize(directory)
      .split("/")
      .filter((part) => part.length > 0);
    if (common === undefined) {
      common = parts;
      continue;
    }
    let length = 0;
    while (length < common.length && length < parts.length && common[length] === parts[length]) length++;
    common = common.slice(0, length);
  }
  return common === undefined ? undefined : `/${common.join("/")}`;
}

/** Return the directory a sub-make enters: `-C DIR`, `-CDIR`, `--directory=DIR` or `--directory DIR`. */
function subMakeDirectory(options: readonly string[]): string | undefined {
  let directory: string | undefined;
  for (let k = 0; k < options.length; k++) {
    const option = options[k] as string;
    if (option === "-C" || option === "--directory") directory = options[++k];
    else if (option.startsWith("--directory=")) directory = option.slice("--directory=".length);
    else if (option.startsWith("-C")) directory = option.slice(2);
  }
  return directory;
}

/**
 * Find the absolute directory a log started in when only a sub-make names it. GNU make prints `Entering
 * directory` for each sub-make but not for the top one unless it runs with `-w`, so `make -C util` from the
 * starting directory followed by `Entering directory '/src/proj/util'` puts the start at `/src/proj`.
 * Returns the directory and the sub-make step that showed it.
 */
export function anchorStartDirectory(
  steps: readonly BuildStep[],
): { directory: string; step: BuildStep } | undefined {
  // The next step whose directory came from an Entering message, filled from the end so the search is linear.
  let nextEntered: BuildStep | undefined;
  let found: { directory: string; step: BuildStep } | undefined;
  for (let k = steps.length - 1; k >= 0; k--) {
    const step = steps[k] as BuildStep;
    const entered = nextEntered;
    if (step.directory.source === "make-enter") nextEntered = step;
    if (entered === undefined) continue;
    const directory = startDirectoryShown(step, entered);
    // The loop runs backwards, so the last match found is the first sub-make of the log.
    if (directory !== undefined) found = { directory, step };
  }
  return found;
}

/**
 * Return the directory the log started in, as a sub-make `step` run from that unnamed directory and the
 * first later step whose directory came from an Entering message (`entered`) show it, or undefined.
 */
function startDirectoryShown(step: BuildStep, entered: BuildStep): string | undefined {
  if (step.kind !== "shell" || step.operation !== "submake" || path.isAbsolute(step.directory.path))
    return undefined;
  if (!path.isAbsolute(entered.directory.path)) return undefined;
  const target = path.normalize(path.join(step.directory.path, subMakeDirectory(step.options) ?? "."));
  // A sub-make of the starting directory itself, or of one above it, does not show the start's name.
  if (target === "." || target === ".." || target.startsWith("../")) return undefined;
  const enteredPath = path.normalize(entered.directory.path);
  if (!enteredPath.endsWith(`/${target}`)) return undefined;
  return enteredPath.slice(0, -target.length - 1) || "/";
}

/**
 * `anchorStartDirectory` for steps that arrive one at a time in log order: `found` is set as soon as the
 * steps so far decide it, and is then what `anchorStartDirectory` returns for the whole log.
 */
export class StartDirectoryFinder {
  found: { directory: string; step: BuildStep } | undefined;
  /** Sub-makes from a relative directory since the last step whose directory came from an Entering message. */
  private candidates: BuildStep[] = [];

  add(step: BuildStep): void {
    if (this.found !== undefined) return;
    if (step.directory.source === "make-enter" && this.candidates.length > 0) {
      for (const candidate of this.candidates) {
        const directory = startDirectoryShown(candidate, step);
        if (directory !== undefined) {
          this.found = { directory, step: candidate };
          break;
        }
      }
      this.candidates = [];
      if (this.found !== undefined) return;
    }
    if (step.kind === "shell" && step.operation === "submake" && !path.isAbsolute(step.directory.path))
      this.candidates.push(step);
  }
}

/**
 * Infer the source root of a log: the deepest directory containing every absolute step directory or, when the log
 * names only relative directories (`ninja -C build`), every absolute source file of its compiles.
 */
export function inferSourceRoot(steps: readonly BuildStep[]): string | undefined {
  const fromDirectories = commonRoot(steps.map((step) => step.directory.path));
  if (fromDirectories !== undefined) return fromDirectories;
  const sources: string[] = [];
  for (const step of steps) {
    if (step.kind === "compile" && path.isAbsolute(step.source)) sources.push(path.dirname(step.source));
  }
  return commonRoot(sources);
}

/**
 * The OpenVMS name of a build product: objects `.o`/`.lo` → `.OBJ`, archives `.a` → `.OLB`, shared
 * libraries `libx.so.1.2` → `libx.EXE`, and programs without a type → `.EXE`. Other names are kept.
 */
export function productPath(unixPath: string, role: ProductRole): string {
  const cache = productPaths[role];
  let renamed = cache.get(unixPath);
  if (renamed === undefined) {
    // Clearing the cache now and then bounds its memory on logs that name many distinct files.
    if (cache.size >= PRODUCT_PATHS_LIMIT) cache.clear();
    renamed = computeProductPath(unixPath, role);
    cache.set(unixPath, renamed);
  }
  return renamed;
}

type ProductRole = "object" | "library" | "shared" | "executable" | "input";

/** Names `productPath` returned, by role and Unix path, because a log names each object in several steps. */
const productPaths: Record<ProductRole, Map<string, string>> = {
  object: new Map(),
  library: new Map(),
  shared: new Map(),
  executable: new Map(),
  input: new Map(),
};

const PRODUCT_PATHS_LIMIT = 20_000;

function computeProductPath(unixPath: string, role: ProductRole): string {
  const directory = path.dirname(unixPath);
  const base = path.basename(unixPath);
  const join = (name: string) =>
    directory === "." && !unixPath.startsWith("./") ? name : path.join(directory, name);
  const shared = /^(.*?)\.(so(\.[0-9][0-9A-Za-z.-]*)?|dylib|sl)$/.exec(base);
  if (shared?.[1] !== undefined && (role === "shared" || role === "input")) return join(`${shared[1]}.exe`);
  if (/\.(o|lo|obj)$/.test(base) && (role === "object" || role === "input"))
    return join(base.replace(/\.(o|lo|obj)$/, ".obj"));
  // libtool links `libx.la` with -rpath into a shared library, which is the shareable image LIBX.EXE here.
  if (base.endsWith(".la") && role === "shared") return join(`${base.slice(0, -3)}.exe`);
  if (/\.(a|la)$/.test(base) && (role === "library" || role === "input"))
    return join(base.replace(/\.(a|la)$/, ".olb"));
  if (role === "executable" || role === "shared") {
    // A second dot would need an ODS-5 caret escape in every command, so `beam.smp` becomes `beam_smp.exe`.
    if (/\.exe$/i.test(base)) return unixPath;
    return join(`${base.replace(/\./g, "_")}.exe`);
  }
  return unixPath;
}
