/**
 * Working-directory tracking: make's and ninja's directory messages in several languages, and the
 * inferred directories of `make -C` and automake's `Making all in`. Paths use POSIX rules throughout,
 * because the log describes a Unix build whatever system reads it.
 */
import path from "node:path";
import type { DirectorySource, WorkingDirectory } from "../model/steps.js";
import { detachString } from "./tools.js";

export interface DirectoryMessage {
  kind: "enter" | "leave";
  path: string;
  /** Recursion level from `make[N]`; 0 for top-level `make:`; ninja uses -1. */
  level: number;
  source: "make-enter" | "ninja-enter";
}

// Quote pairs used by GNU make's message catalogues: English (both the old `…' and the current '…'),
// German „…“, French « … » (with ordinary or no-break spaces), and the typographic pairs of other languages.
const QUOTED_PATH =
  /(?:'([^']*)'|`([^']*)'|„([^“]*)“|«[\s\u00a0]?([^»]*?)[\s\u00a0]?»|‘([^’]*)’|“([^”]*)”|「([^」]*)」|"([^"]*)")/;

// Phrases of GNU make 4.3's `Entering directory` and `Leaving directory` messages, from its English text
// and its German and French message catalogues.
const ENTER_WORDS = /\b(?:Entering directory|wird betreten|on entre dans le répertoire)/;
const LEAVE_WORDS = /\b(?:Leaving directory|wird verlassen|on quitte le répertoire)/;

const MAKE_PREFIX = /^((?:[^\s:[]*\/)?[A-Za-z0-9._+-]*make)(?:\[(\d+)\])?[\s\u00a0]?: /;

/** Recognises a directory message of make (any program name ending in `make`) or ninja. */
export function parseDirectoryMessage(text: string): DirectoryMessage | undefined {
  if (text.startsWith("ninja: Entering directory ")) {
    const match = QUOTED_PATH.exec(text.slice(26));
    const found = match ? firstGroup(match) : undefined;
    if (found === undefined) return undefined;
    return { kind: "enter", path: found, level: -1, source: "ninja-enter" };
  }
  const prefix = MAKE_PREFIX.exec(text);
  if (!prefix) return undefined;
  const rest = text.slice(prefix[0].length);
  const enter = ENTER_WORDS.test(rest);
  const leave = !enter && LEAVE_WORDS.test(rest);
  if (!enter && !leave) return undefined;
  const match = QUOTED_PATH.exec(rest);
  const found = match ? firstGroup(match) : undefined;
  if (found === undefined) return undefined;
  return {
    kind: enter ? "enter" : "leave",
    path: found,
    level: prefix[2] === undefined ? 0 : Number(prefix[2]),
    source: "make-enter",
  };
}

function firstGroup(match: RegExpExecArray): string | undefined {
  for (let i = 1; i < match.length; i++) if (match[i] !== undefined) return match[i];
  return undefined;
}

/**
 * Results of `resolvePath` by base, then by relative path. Most joins repeat an earlier one: each response
 * file is looked up under every root, and the same directories, `cd` operands and make targets recur on
 * many lines. A lookup costs a fraction of `path.posix.normalize`. Keys and results are detached (see
 * `detachString`). Both levels are emptied together once RESOLVED_PATHS_MAX results are kept.
 */
const resolvedPaths = new Map<string, Map<string, string>>();
let resolvedPathCount = 0;
const RESOLVED_PATHS_MAX = 8192;

/** Joins `relative` to `base` with POSIX rules, keeping a relative result when the base is relative. */
export function resolvePath(base: string, relative: string): string {
  let byRelative = resolvedPaths.get(base);
  const cached = byRelative?.get(relative);
  if (cached !== undefined) return cached;
  // The result can be `relative` itself, so it is detached like the keys.
  const resolved = detachString(joinPath(base, relative));
  if (resolvedPathCount >= RESOLVED_PATHS_MAX) {
    resolvedPaths.clear();
    resolvedPathCount = 0;
    byRelative = undefined;
  }
  if (!byRelative) {
    byRelative = new Map();
    resolvedPaths.set(detachString(base), byRelative);
  }
  byRelative.set(detachString(relative), resolved);
  resolvedPathCount++;
  return resolved;
}

function joinPath(base: string, relative: string): string {
  if (relative.startsWith("/")) return path.posix.normalize(relative);
  const joined = path.posix.normalize(path.posix.join(base, relative));
  return joined.length > 1 && joined.endsWith("/") ? joined.slice(0, -1) : joined;
}

interface ActiveDirectory {
  path: string;
  level: number;
  source: DirectorySource;
}

/**
 * The directories a tracker has entered and inferred, as plain data that can be copied to a worker thread
 * and compared. `inferred.level` is `Infinity`, so the snapshot must be copied by structured clone, not JSON.
 */
export interface TrackerSnapshot {
  active: ActiveDirectory[];
  inferred: ActiveDirectory | undefined;
}

/** Tells whether two snapshots give the same directories for every later message and command. */
export function sameTrackerState(left: TrackerSnapshot, right: TrackerSnapshot): boolean {
  if (left.active.length !== right.active.length) return false;
  for (let k = 0; k < left.active.length; k++) {
    if (!sameEntry(left.active[k], right.active[k])) return false;
  }
  return sameEntry(left.inferred, right.inferred);
}

function sameEntry(left: ActiveDirectory | undefined, right: ActiveDirectory | undefined): boolean {
  if (left === undefined || right === undefined) return left === right;
  return left.path === right.path && left.level === right.level && left.source === right.source;
}

/**
 * The set of directories that make has entered and not yet left. Under `make -j` several sub-makes at
 * the same level run at once and their messages interleave, so the tracker keeps all of them. The
 * directory of a command is the entry at the deepest level. When several distinct directories share that
 * level, the command is reported as ambiguous rather than given a guess.
 */
/**
 * Maximum number of entered directories kept. A log that starts or stops mid-build, or several logs joined
 * together, leave Entering messages without a Leaving, so the oldest entries are dropped before they pile
 * up. Sixteen covers `make -j16` with every job in its own sibling directory.
 * NOTE: an entry left open by a truncated log stays the deepest level until it is dropped, so the steps
 * after it can be given that stale directory.
 */
const MAX_ACTIVE_DIRECTORIES = 16;

export class DirectoryTracker {
  private active: ActiveDirectory[] = [];
  private inferred: ActiveDirectory | undefined;
  /** `current()` result, kept until the next change because most lines do not change the directory. */
  private cached: WorkingDirectory | undefined;

  constructor(
    private readonly initial: string,
    start?: TrackerSnapshot,
  ) {
    if (start) {
      this.active = start.active.map((entry) => ({ ...entry }));
      this.inferred = start.inferred && { ...start.inferred };
    }
  }

  /** Returns a copy of the entered and inferred directories. */
  snapshot(): TrackerSnapshot {
    return {
      active: this.active.map((entry) => ({ ...entry })),
      inferred: this.inferred && { ...this.inferred },
    };
  }

  /** Applies an Entering or Leaving message. A Leaving that matches nothing is ignored. */
  apply(message: DirectoryMessage): void {
    // ninja prints no Leaving message, and a later `ninja -C DIR` names DIR relative to the directory it was
    // started from, not to the directory of the ninja run before it. Its earlier entry is dropped first so
    // that two runs of `ninja -C build` do not resolve to build/build.
    if (message.kind === "enter" && message.source === "ninja-enter") {
      const previous = this.active.findIndex((entry) => entry.source === "ninja-enter");
      if (previous >= 0) {
        this.active.splice(previous, 1);
        this.cached = undefined;
      }
    }
    const resolved = resolvePath(this.current().path, message.path);
    this.cached = undefined;
    if (message.kind === "enter") {
      // A top-level `make:` Entering starts a new make run, so directories still open from before are stale.
      if (message.level === 0 && message.source === "make-enter")
        this.active = this.active.filter((entry) => entry.source !== "make-enter");
      if (this.active.length >= MAX_ACTIVE_DIRECTORIES) this.active.shift();
      this.inferred = undefined;
      if (message.source === "ninja-enter") {
        const deepest = this.active.reduce((max, entry) => Math.max(max, entry.level), 0);
        this.active.push({ path: resolved, level: deepest + 1, source: message.source });
        return;
      }
      // The same directory entered again at the same level is one entry. A second copy would only make the
      // directory look ambiguous between itself and itself.
      const duplicate = this.active.findIndex(
        (entry) => entry.path === resolved && entry.level === message.level,
      );
      if (duplicate >= 0) this.active.splice(duplicate, 1);
      this.active.push({ path: resolved, level: message.level, source: message.source });
      return;
    }
    for (let i = this.active.length - 1; i >= 0; i--) {
      const entry = this.active[i] as ActiveDirectory;
      if (entry.path === resolved && entry.source === "make-enter") {
        this.active.splice(i, 1);
        break;
      }
    }
    if (this.inferred && this.inferred.path === resolved) this.inferred = undefined;
  }

  /** Records a directory implied by `make -C DIR` or `Making all in DIR`, valid until the next message. */
  infer(relative: string, source: "make-c" | "automake"): void {
    // A second `Making all in` or `make -C` names a sibling, so it is resolved without the earlier inference.
    this.inferred = undefined;
    this.cached = undefined;
    const base = this.current().path;
    this.cached = undefined;
    this.inferred = { path: resolvePath(base, relative), level: Number.POSITIVE_INFINITY, source };
  }

  /** Returns the directory in effect, with candidates when it cannot be decided. */
  current(): WorkingDirectory {
    this.cached ??= this.compute();
    return this.cached;
  }

  private compute(): WorkingDirectory {
    if (this.inferred) return { path: this.inferred.path, source: this.inferred.source };
    if (this.active.length === 0) return { path: this.initial, source: "initial" };
    let deepest = Number.NEGATIVE_INFINITY;
    for (const entry of this.active) deepest = Math.max(deepest, entry.level);
    const atDeepest = this.active.filter((entry) => entry.level === deepest);
    const latest = atDeepest[atDeepest.length - 1] as ActiveDirectory;
    const candidates = [...new Set(atDeepest.map((entry) => entry.path))];
    if (candidates.length > 1) return { path: latest.path, source: latest.source, ambiguous: { candidates } };
    return { path: latest.path, source: latest.source };
  }
}
