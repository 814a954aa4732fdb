/**
 * File selection for `vmsport scan`: explicit files, directories walked for C/C++ sources, glob arguments
 * (fast-glob), --include/--exclude globs and .gitignore inside a git work tree. Symbolic links are not
 * followed unless asked. When they are, the tree is walked without them first and each link is followed
 * afterwards, so a file reached both directly and through a link is scanned once, under its direct path,
 * whatever order the directory entries come in. Link loops end because each real directory is walked once.
 */

import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import type { SkippedFile } from "../model/finding.js";
import { compareText } from "../util/compare.js";

/** Extensions of C and C++ sources and headers scanned when walking a directory. */
export const DEFAULT_EXTENSIONS = [
  ".c",
  ".h",
  ".cc",
  ".cpp",
  ".cxx",
  ".c++",
  ".hh",
  ".hpp",
  ".hxx",
  ".h++",
  ".C",
  ".H",
  ".ipp",
  ".tcc",
  ".inl",
];

/** Directories of version-control systems, never walked. */
// quilt's .pc contains the unpatched copies of the files a Debian source package patches, so its files would
// repeat the findings of the real ones.
const SKIPPED_DIRECTORIES = new Set([".git", ".hg", ".svn", "CVS", ".bzr", ".pc"]);

export interface SelectedFile {
  absolute: string;
  /** Relative to the base directory, with `/` separators. */
  relative: string;
}

export interface Selection {
  files: SelectedFile[];
  skipped: SkippedFile[];
  symlinksNotFollowed: number;
  notes: string[];
}

export interface SelectOptions {
  paths: readonly string[];
  cwd: string;
  include?: readonly string[];
  exclude?: readonly string[];
  followSymlinks?: boolean;
  gitignore?: boolean;
}

/** Convert a glob (`**`, `*`, `?`, `[…]`, `{a,b}`) to a regular expression over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  let braces = 0;
  for (let index = 0; index < glob.length; index++) {
    const c = glob[index] as string;
    if (c === "*") {
      if (glob[index + 1] === "*") {
        const slashAfter = glob[index + 2] === "/";
        source += slashAfter ? "(?:.*/)?" : ".*";
        index += slashAfter ? 2 : 1;
      } else source += "[^/]*";
    } else if (c === "?") source += "[^/]";
    else if (c === "[") {
      const close = glob.indexOf("]", index + 1);
      if (close < 0) source += "\\[";
      else {
        source += `[${glob
          .slice(index + 1, close)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        index = close;
      }
    } else if (c === "{") {
      braces++;
      source += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      source += ")";
    } else if (c === "," && braces > 0) source += "|";
    else source += c.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** Compile globs. A glob without `/` matches a file's name in any directory, as in .gitignore. */
function compileGlobs(globs: readonly string[]): RegExp[] {
  return globs.map((glob) => globToRegExp(glob.includes("/") ? glob.replace(/^\.\//, "") : `**/${glob}`));
}

const toPosix = (value: string) => value.split(path.sep).join("/");

/** Is `inner` the directory `outer` or below it? Both are absolute paths. */
function isInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** The --include and --exclude tests on paths relative to the current directory, with `/` separators. */
interface PathFilter {
  /** Does the file pass --include, or without it, has it a C/C++ extension? */
  isIncluded(relative: string): boolean;
  isExcluded(relative: string): boolean;
  /** Is a directory excluded? `dir/**` and `dir/` globs name the directory itself too. */
  isDirectoryExcluded(relative: string): boolean;
}

function createPathFilter(include: readonly string[] = [], exclude: readonly string[] = []): PathFilter {
  const includeRegExps = compileGlobs(include);
  const excludeRegExps = compileGlobs(exclude);
  const isExcluded = (relative: string) => excludeRegExps.some((regex) => regex.test(relative));
  return {
    isIncluded: (relative) =>
      includeRegExps.length > 0
        ? includeRegExps.some((regex) => regex.test(relative))
        : DEFAULT_EXTENSIONS.includes(path.extname(relative) || "\0"),
    isExcluded,
    isDirectoryExcluded: (relative) => isExcluded(relative) || isExcluded(`${relative}/`),
  };
}

/** Find the root of the git work tree that contains `directory`, if any. */
export function gitRoot(directory: string): string | undefined {
  let current = directory;
  for (;;) {
    if (existsSync(path.join(current, ".git"))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * List the files git does not ignore under `directory` (tracked and untracked), as absolute paths below
 * `realDirectory`, the same directory with every symbolic link resolved. `--exclude-standard` applies
 * .gitignore files, .git/info/exclude and core.excludesFile. Git lists a nested repository as one entry
 * ending in `/` and a submodule as one entry without it, and lists neither one's files. When git fails,
 * returns the first line of its error message instead.
 */
function gitVisibleFiles(directory: string, realDirectory: string): Set<string> | { error: string } {
  try {
    const output = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: directory,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new Set(
      output
        .split("\0")
        .filter((entry) => entry.length > 0)
        .map((entry) => path.join(realDirectory, entry)),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { error: "git was not found on the PATH" };
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    const firstLine = stderr.split("\n").find((line) => line.trim().length > 0);
    return { error: firstLine?.replace(/^fatal: /, "").trim() ?? (error as Error).message };
  }
}

/**
 * Describe why git could not list the files of `displayPath`. Git 2.35.2 and later refuse a repository that
 * another user owns, which is common in CI containers, and `safe.directory` is git's own way to allow it.
 */
function gitFailureNote(displayPath: string, error: string, root: string): string {
  const note = `git could not list the files of ${displayPath} (${error}), so .gitignore and .git/info/exclude are not applied`;
  return error.includes("dubious ownership")
    ? `${note}. If you trust the repository, run: git config --global --add safe.directory ${root}`
    : note;
}

/** Does a git listing name `realDirectory` as a nested repository or a submodule? */
function isListedRepository(visible: Set<string>, realDirectory: string): boolean {
  return visible.has(realDirectory) || visible.has(realDirectory + path.sep);
}

/** A symbolic link met during the walk, followed after every directly reachable file is selected. */
interface PendingLink {
  absolute: string;
  relative: string;
  /** The real path of the directory that contains the link. */
  parentReal: string;
}

/** Select the files to scan. */
export async function selectFiles(options: SelectOptions): Promise<Selection> {
  const { cwd } = options;
  const { isIncluded, isExcluded, isDirectoryExcluded } = createPathFilter(options.include, options.exclude);
  const files: SelectedFile[] = [];
  const skipped: SkippedFile[] = [];
  const notes: string[] = [];
  const seenFiles = new Set<string>();
  const visitedDirectories = new Set<string>();
  const pendingLinks: PendingLink[] = [];
  let symlinksNotFollowed = 0;

  const relativeOf = (absolute: string) => {
    const relative = toPosix(path.relative(cwd, absolute));
    return relative === "" ? "." : relative;
  };

  /** Add a file unless it was added already. A caller that knows the real path passes it to save a system call. */
  const addFile = (absolute: string, real?: string) => {
    let key = absolute;
    if (options.followSymlinks) {
      try {
        key = real ?? realpathSync.native(absolute);
      } catch {
        key = absolute;
      }
    }
    if (seenFiles.has(key)) return;
    seenFiles.add(key);
    files.push({ absolute, relative: relativeOf(absolute) });
  };

  // Listings by the directory git ran in. One listing serves every directory below it in the same work
  // tree, and a nested repository, whose files the outer listing leaves out, gets its own.
  const gitListings = new Map<string, Set<string> | undefined>();
  const gitListingFor = (realDirectory: string, displayPath: string): Set<string> | undefined => {
    if (options.gitignore === false) return undefined;
    const root = gitRoot(realDirectory);
    if (root === undefined) return undefined;
    for (const [directory, listing] of gitListings) {
      if (isInside(realDirectory, directory) && isInside(directory, root)) return listing;
    }
    const result = gitVisibleFiles(realDirectory, realDirectory);
    const listing = result instanceof Set ? result : undefined;
    if (!(result instanceof Set)) notes.push(gitFailureNote(displayPath, result.error, root));
    gitListings.set(realDirectory, listing);
    return listing;
  };

  // Most entries of a large tree are neither directories nor C/C++ files; they are dropped by name before
  // any path is computed for them.
  const filteredByName = (options.include ?? []).length === 0;
  const walk = (
    directory: string,
    directoryRelative: string,
    /** `directory` with every symbolic link resolved. */
    directoryReal: string,
    visible: Set<string> | undefined,
  ) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: directoryRelative, reason: "unreadable", detail: (error as Error).message });
      return;
    }
    for (const entry of entries) {
      if (filteredByName && entry.isFile() && !DEFAULT_EXTENSIONS.includes(path.extname(entry.name) || "\0"))
        continue;
      visitEntry(entry, directory, directoryRelative, directoryReal, visible);
    }
  };
  // The loop above runs for every entry of the tree, and this function only for directories, links and
  // candidate files. Kept apart, the loop stays small, so V8 optimizes it sooner and at less cost.
  const visitEntry = (
    entry: import("node:fs").Dirent,
    directory: string,
    directoryRelative: string,
    directoryReal: string,
    visible: Set<string> | undefined,
  ) => {
    const absolute = path.join(directory, entry.name);
    const relative = directoryRelative === "." ? entry.name : `${directoryRelative}/${entry.name}`;
    // A real directory inside a resolved one is resolved already, and git lists a link under its own name.
    const real = directory === directoryReal ? absolute : path.join(directoryReal, entry.name);
    if (entry.isSymbolicLink()) {
      if (visible && !visible.has(real)) return;
      if (options.followSymlinks) pendingLinks.push({ absolute, relative, parentReal: directoryReal });
      else symlinksNotFollowed++;
    } else if (entry.isDirectory()) {
      if (SKIPPED_DIRECTORIES.has(entry.name) || isDirectoryExcluded(relative)) return;
      if (visitedDirectories.has(real)) return;
      visitedDirectories.add(real);
      const inside = visible && isListedRepository(visible, real) ? gitListingFor(real, relative) : visible;
      walk(absolute, relative, real, inside);
    } else if (entry.isFile()) {
      if (!isIncluded(relative) || isExcluded(relative)) return;
      if (visible && !visible.has(real)) return;
      addFile(absolute, real);
    }
  };

  /**
   * Follow a link met during the walk. A link to a directory that was walked already adds nothing, and a
   * link into one of its own parent directories is a loop. Each file reached through a link must pass the
   * git listing of the work tree it really lies in.
   */
  const followLink = ({ absolute, relative, parentReal }: PendingLink) => {
    let real: string;
    let target: import("node:fs").Stats;
    try {
      real = realpathSync.native(absolute);
      target = statSync(real);
    } catch {
      skipped.push({ path: relative, reason: "not-found", detail: "dangling symbolic link" });
      return;
    }
    if (target.isDirectory()) {
      if (SKIPPED_DIRECTORIES.has(path.basename(absolute)) || isDirectoryExcluded(relative)) return;
      if (isInside(parentReal, real)) {
        skipped.push({
          path: relative,
          reason: "symlink-loop",
          detail: "the link points to a directory that contains it",
        });
        return;
      }
      if (visitedDirectories.has(real)) return;
      visitedDirectories.add(real);
      walk(absolute, relative, real, gitListingFor(real, relative));
    } else if (target.isFile()) {
      if (!isIncluded(relative) || isExcluded(relative)) return;
      const listing = gitListingFor(path.dirname(real), relative);
      if (listing && !listing.has(real)) return;
      addFile(absolute, real);
    }
  };

  for (const argument of options.paths) {
    const absolute = path.resolve(cwd, argument);
    let stat: import("node:fs").Stats | undefined;
    let statError: NodeJS.ErrnoException | undefined;
    try {
      stat = statSync(absolute);
    } catch (error) {
      statError = error as NodeJS.ErrnoException;
    }
    // An existing path is taken as written even when it contains glob characters, so files such as
    // `test[1].c` or `{old,new}.c` can be named. fast-glob is imported only for other arguments that may be
    // patterns, because most arguments name files and directories.
    const fg = stat === undefined && mayBeGlob(argument) ? (await import("fast-glob")).default : undefined;
    if (fg?.isDynamicPattern(argument)) {
      const matches = await fg(argument.replace(/\\/g, "/"), {
        cwd,
        absolute: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        suppressErrors: true,
        ignore: [...(options.exclude ?? [])],
      });
      if (matches.length === 0) notes.push(`no file matches ${argument}`);
      for (const match of matches.sort()) {
        const relative = relativeOf(path.resolve(match));
        if (!isExcluded(relative)) addFile(path.resolve(match));
      }
      continue;
    }
    if (stat === undefined) {
      const code = statError?.code;
      const isLink = code === "ENOENT" && lstatSafe(absolute);
      skipped.push({
        path: relativeOf(absolute),
        reason:
          code === "ENOENT" || code === "ENOTDIR"
            ? "not-found"
            : code === "ELOOP"
              ? "symlink-loop"
              : "unreadable",
        ...(isLink ? { detail: "dangling symbolic link" } : {}),
      });
      continue;
    }
    if (stat.isDirectory()) {
      const real = realpathSync.native(absolute);
      const visible = gitListingFor(real, relativeOf(absolute));
      visitedDirectories.add(real);
      walk(absolute, relativeOf(absolute), real, visible);
    } else addFile(absolute);
  }

  // Links are followed in the order of their paths, so which path a file reached only through links is
  // reported under does not depend on the order of directory entries.
  while (pendingLinks.length > 0) {
    pendingLinks.sort((a, b) => compareText(b.relative, a.relative));
    followLink(pendingLinks.pop() as PendingLink);
  }

  files.sort((a, b) => compareText(a.relative, b.relative));
  return { files, skipped, symlinksNotFollowed, notes };
}

export interface ListedPathsOptions {
  cwd: string;
  include?: readonly string[];
  exclude?: readonly string[];
  followSymlinks?: boolean;
}

export interface ListedPaths {
  /** Entries to scan, in the order of the list. */
  paths: string[];
  /** C/C++ entries that pass --include and --exclude but do not exist, such as files a change deletes. */
  missing: string[];
  /** Entries that are symbolic links, left out because links are followed only with --follow-symlinks. */
  symlinksNotFollowed: string[];
}

/**
 * Filter the entries of a --files-from list as files found while walking a directory are filtered: by
 * --include, or without it by the C/C++ extensions, and by --exclude. Such lists are made by programs
 * (`git diff --name-only`, `find`), so they name every changed file, whatever its language. A listed
 * directory is kept, and walked with the same filters. Entries are not checked against .gitignore.
 */
export function filterListedPaths(entries: readonly string[], options: ListedPathsOptions): ListedPaths {
  const { isIncluded, isExcluded, isDirectoryExcluded } = createPathFilter(options.include, options.exclude);
  const result: ListedPaths = { paths: [], missing: [], symlinksNotFollowed: [] };
  for (const entry of entries) {
    const absolute = path.resolve(options.cwd, entry);
    const relative = toPosix(path.relative(options.cwd, absolute)) || ".";
    const isSelectedFile = isIncluded(relative) && !isExcluded(relative);
    let stat: import("node:fs").Stats;
    try {
      stat = lstatSync(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A list of changed files names the files the change deletes, and those have nothing left to scan,
      // so a missing entry is reported as a note and does not fail the scan as a missing argument does.
      // Any other error is left to the scan, which reports the file as skipped.
      if (code === "ENOENT" || code === "ENOTDIR") {
        if (isSelectedFile) result.missing.push(entry);
      } else result.paths.push(entry);
      continue;
    }
    if (stat.isSymbolicLink()) {
      if (!options.followSymlinks) {
        result.symlinksNotFollowed.push(entry);
        continue;
      }
      try {
        stat = statSync(absolute);
      } catch {
        // The scan reports a dangling link as skipped.
        result.paths.push(entry);
        continue;
      }
    }
    if (stat.isDirectory() ? !isDirectoryExcluded(relative) : isSelectedFile) result.paths.push(entry);
  }
  return result;
}

/** Bytes that git writes in a quoted path as a backslash and one character, by that character. */
const GIT_QUOTED_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  '"': 34,
  "\\": 92,
};

/**
 * Decode a path that git wrote in double quotes. Without -z, commands such as `git diff --name-only` quote
 * a path that contains a double quote, a backslash or a control character, and with the default
 * core.quotePath one with a byte of 0x80 or above too. Such a byte is written as a backslash and three
 * octal digits (git-config(1), core.quotePath). Returns undefined when `line` is not a quoted path.
 */
export function unquoteGitPath(line: string): string | undefined {
  if (line.length < 2 || !line.startsWith('"') || !line.endsWith('"')) return undefined;
  const body = line.slice(1, -1);
  const bytes: number[] = [];
  let index = 0;
  while (index < body.length) {
    const character = String.fromCodePoint(body.codePointAt(index) as number);
    if (character === '"') return undefined;
    if (character !== "\\") {
      bytes.push(...Buffer.from(character, "utf8"));
      index += character.length;
      continue;
    }
    const octal = /^[0-3][0-7]{2}/.exec(body.slice(index + 1, index + 4));
    const escaped = GIT_QUOTED_ESCAPES[body[index + 1] ?? ""];
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      index += 4;
    } else if (escaped !== undefined) {
      bytes.push(escaped);
      index += 2;
    } else return undefined;
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Could fast-glob read this argument as a pattern? False only when it has none of glob's special characters. */
export function mayBeGlob(argument: string): boolean {
  return /[*?[\]{}()!@+\\|]/.test(argument);
}

function lstatSafe(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
