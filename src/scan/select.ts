/**
 * File selection for `vmsport scan`: explicit files, directories walked for C/C++ sources, glob arguments
 * (fast-glob), --include/--exclude globs and .gitignore inside a git work tree. Symbolic links are not
 * followed unless asked. When they are, each real directory and file is visited once, so link loops end.
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

/** Files git does not ignore under `directory` (tracked and untracked), as absolute paths. */
function gitVisibleFiles(directory: string): Set<string> | undefined {
  try {
    const output = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: directory,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    });
    return new Set(
      output
        .split("\0")
        .filter((entry) => entry.length > 0)
        .map((entry) => path.join(directory, entry)),
    );
  } catch {
    return undefined;
  }
}

/** Select the files to scan. */
export async function selectFiles(options: SelectOptions): Promise<Selection> {
  const { cwd } = options;
  const include = compileGlobs(options.include ?? []);
  const exclude = compileGlobs(options.exclude ?? []);
  const files: SelectedFile[] = [];
  const skipped: SkippedFile[] = [];
  const notes: string[] = [];
  const seenFiles = new Set<string>();
  let symlinksNotFollowed = 0;

  const relativeOf = (absolute: string) => {
    const relative = toPosix(path.relative(cwd, absolute));
    return relative === "" ? "." : relative;
  };
  const isExcluded = (relative: string) => exclude.some((regex) => regex.test(relative));
  const isIncluded = (relative: string) =>
    include.length > 0
      ? include.some((regex) => regex.test(relative))
      : DEFAULT_EXTENSIONS.includes(path.extname(relative) || "\0");

  const addFile = (absolute: string) => {
    let key = absolute;
    if (options.followSymlinks) {
      try {
        key = realpathSync.native(absolute);
      } catch {
        key = absolute;
      }
    }
    if (seenFiles.has(key)) return;
    seenFiles.add(key);
    files.push({ absolute, relative: relativeOf(absolute) });
  };

  // Most entries of a large tree are neither directories nor C/C++ files; they are dropped by name before
  // any path is computed for them.
  const filteredByName = include.length === 0;
  const walk = (
    directory: string,
    directoryRelative: string,
    /** `directory` with every symbolic link resolved. */
    directoryReal: string,
    visible: Set<string> | undefined,
    ancestors: Set<string>,
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
      visitEntry(entry, directory, directoryRelative, directoryReal, visible, ancestors);
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
    ancestors: Set<string>,
  ) => {
    const absolute = path.join(directory, entry.name);
    const relative = directoryRelative === "." ? entry.name : `${directoryRelative}/${entry.name}`;
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    const isLink = entry.isSymbolicLink();
    if (isLink) {
      if (!options.followSymlinks) {
        symlinksNotFollowed++;
        return;
      }
      try {
        const target = statSync(absolute);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch {
        skipped.push({ path: relative, reason: "not-found", detail: "dangling symbolic link" });
        return;
      }
    }
    if (isDirectory) {
      if (SKIPPED_DIRECTORIES.has(entry.name) || isExcluded(relative) || isExcluded(`${relative}/`)) return;
      // Only a link needs resolving: a real directory inside a resolved one is resolved already.
      let real = path.join(directoryReal, entry.name);
      if (isLink) {
        try {
          real = realpathSync.native(absolute);
        } catch {
          return;
        }
      }
      if (ancestors.has(real)) {
        skipped.push({
          path: relative,
          reason: "symlink-loop",
          detail: "the link points to a directory that contains it",
        });
        return;
      }
      if (visitedDirectories.has(real)) return;
      visitedDirectories.add(real);
      ancestors.add(real);
      walk(absolute, relative, real, visible, ancestors);
      ancestors.delete(real);
    } else if (isFile) {
      if (!isIncluded(relative) || isExcluded(relative)) return;
      if (visible && !visible.has(absolute)) return;
      addFile(absolute);
    }
  };
  const visitedDirectories = new Set<string>();

  for (const argument of options.paths) {
    // fast-glob is imported only for an argument that may be a glob, because most name files and directories.
    const fg = mayBeGlob(argument) ? (await import("fast-glob")).default : undefined;
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
    const absolute = path.resolve(cwd, argument);
    let stat: import("node:fs").Stats;
    try {
      stat = statSync(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
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
      const root = options.gitignore === false ? undefined : gitRoot(absolute);
      const visible = root ? gitVisibleFiles(absolute) : undefined;
      if (root && !visible)
        notes.push(
          `${relativeOf(absolute)} is in a git work tree, but git could not list its files; .gitignore is not applied`,
        );
      const real = realpathSync.native(absolute);
      visitedDirectories.add(real);
      walk(absolute, relativeOf(absolute), real, visible, new Set([real]));
    } else addFile(absolute);
  }

  files.sort((a, b) => compareText(a.relative, b.relative));
  return { files, skipped, symlinksNotFollowed, notes };
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
