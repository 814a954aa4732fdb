import { type Branch, decide, joinTests, type Outcome } from "./decide.js";
import { type HeaderFile, type MacroLine, readHeader, writeHeader } from "./header.js";
import { ruleForMacro } from "./knowledge.js";
import { COMMENT_MARKER } from "./marker.js";
import type { CrtlKnowledgeBase, LocatedCrtlRule, TargetSettings } from "./types.js";

export { COMMENT_MARKER };

export type ChangeKind = "undefined" | "defined" | "value" | "conditional" | "added";

/** One change made to the header. */
export interface ConfigChange {
  /** 1-based line of the input the change replaces; for an added macro, the line it was inserted before. */
  line: number;
  macro: string;
  ruleId: string;
  kind: ChangeKind;
  /** The input line or lines, absent for an added macro. */
  before?: string;
  after: string[];
  reason: string;
  source: string;
}

export type ReviewCategory =
  /**
   * A configure test that succeeded on Unix (`HAVE_*`, `SIZEOF_*`, `*_H`, byte order …) and that the knowledge
   * base does not cover: OpenVMS may lack what it names, so it needs a look.
   */
  | "platform-test"
  /** A configure test that failed on Unix; keeping it undefined is the safe direction on OpenVMS too. */
  | "undefined-test"
  /** A project setting such as `PACKAGE_VERSION`; kept, and listed only for completeness. */
  | "project-setting";

/** A macro kept unchanged because the knowledge base does not know it or cannot decide it. */
export interface ReviewItem {
  line: number;
  macro: string;
  category: ReviewCategory;
  text: string;
  /** For a macro whose entry has status `keep`: the entry's id and why it cannot decide the macro. */
  ruleId?: string;
  reason?: string;
}

/** Everything `vmsport config` reports about one header. */
export interface ConfigReport {
  file: string;
  form: HeaderFile["form"];
  settings: TargetSettings;
  changes: ConfigChange[];
  review: ReviewItem[];
  /** Macro lines that have a knowledge-base entry and were already right for OpenVMS. */
  unchanged: number;
  /** Macro lines read, including ones inside comments' reach such as `/* #undef X *\/`. */
  macroLines: number;
}

export interface AdjustResult {
  text: string;
  report: ConfigReport;
}

export interface AdjustOptions {
  /** Name used in the report; the content is not read from it. */
  file?: string;
  /** Write no trailing comment listing the unknown configure tests. */
  noReviewComment?: boolean;
}

const PLATFORM_TEST =
  /^(HAVE|SIZEOF|ALIGNOF|SIZE_OF|NEED|CAN|NO)_|_H$|ENDIAN|^STDC_HEADERS$|^TIME_WITH_SYS_TIME$|^RETSIGTYPE$|^_FILE_OFFSET_BITS$|^_LARGE_FILES$|^(SELECT|RECV|SEND|RECVFROM|GETNAMEINFO)_TYPE/;

const APPLE_UNIVERSAL_TEST = /^defined\s*(\(\s*AC_APPLE_UNIVERSAL_BUILD\s*\)|\s+AC_APPLE_UNIVERSAL_BUILD)$/;

/**
 * Checks whether a macro line sits in the branch that autoconf's `AC_C_BIGENDIAN` writes for Apple universal
 * builds, `#if defined AC_APPLE_UNIVERSAL_BUILD`. There `__BIG_ENDIAN__` decides the byte order per
 * architecture at compile time. Alpha, Itanium and x86-64 are little-endian, so no OpenVMS compiler defines
 * `__BIG_ENDIAN__`, and the branch is kept as it is.
 */
function inAppleUniversalBranch(macro: MacroLine): boolean {
  return macro.conditionals.some(
    (conditional) => !conditional.pastElse && APPLE_UNIVERSAL_TEST.test(conditional.test),
  );
}

/**
 * Adjusts a Unix `config.h` to the OpenVMS CRTL. Every line the knowledge base does not change is kept, and
 * each change is preceded by a comment naming the reason. Feature macros marked `add` are inserted after the
 * header guard or at the top. Unknown configure results are listed in a closing comment.
 */
export function adjustHeader(
  text: string,
  knowledge: CrtlKnowledgeBase,
  settings: TargetSettings,
  options: AdjustOptions = {},
): AdjustResult {
  const header = readHeader(text);
  const changes: ConfigChange[] = [];
  const review: ReviewItem[] = [];
  let unchanged = 0;

  // Replacement lines per first physical line; undefined entries mean "keep".
  const replacements = new Map<number, { lines: string[]; count: number }>();
  const seen = new Set<string>();

  const adjusted = adjustedLines(header.lines);
  for (const macro of header.macros) {
    seen.add(macro.name);
    // Lines an earlier run wrote are already decided; rewriting them again would nest the #if blocks.
    if (adjusted.has(macro.index)) {
      unchanged++;
      continue;
    }
    const rule = ruleForMacro(knowledge, macro.name);
    if (inAppleUniversalBranch(macro)) {
      if (rule) unchanged++;
      continue;
    }
    const original = header.lines.slice(macro.index, macro.index + macro.count).join("\n");
    if (!rule) {
      if (macro.name !== header.guard?.name) {
        review.push({
          line: macro.index + 1,
          macro: macro.name,
          category: reviewCategory(macro),
          text: original,
        });
      }
      continue;
    }
    if (macro.functionLike) {
      unchanged++;
      continue;
    }
    if (needsReview(rule)) {
      review.push({
        line: macro.index + 1,
        macro: macro.name,
        // Listed with the configure results to check even when the name does not look like one, or when
        // configure left it undefined (as every line of a config.h.in template is): the sources disagree.
        category: "platform-test",
        text: original,
        ruleId: rule.id,
        reason: rule.title,
      });
      continue;
    }
    const rewritten = rewriteMacroLine(macro, decide(rule, settings));
    if (rewritten === undefined || rewritten.kind === "none") {
      unchanged++;
      continue;
    }
    const comment = commentLine(rule.title);
    replacements.set(macro.index, { lines: [comment, ...rewritten.lines], count: macro.count });
    changes.push({
      line: macro.index + 1,
      macro: macro.name,
      ruleId: rule.id,
      kind: rewritten.kind,
      before: original,
      after: rewritten.lines,
      reason: rule.title,
      source: rule.source,
    });
  }

  const additions = featureMacroBlocks(knowledge, settings, seen);
  const insertAt = insertionIndex(header);
  const output: string[] = [];
  const emitAdditions = () => {
    for (const addition of additions) {
      output.push(commentLine(addition.rule.title), ...addition.lines);
      changes.push({
        line: insertAt + 1,
        macro: addition.rule.macro ?? addition.rule.id,
        ruleId: addition.rule.id,
        kind: "added",
        after: addition.lines,
        reason: addition.rule.title,
        source: addition.rule.source,
      });
    }
    const next = header.lines[insertAt];
    if (additions.length > 0 && next !== undefined && next.trim() !== "") output.push("");
  };

  for (let index = 0; index < header.lines.length; index++) {
    if (index === insertAt) emitAdditions();
    if (adjusted.reviewComment.has(index)) continue;
    const replacement = replacements.get(index);
    if (replacement) {
      output.push(...replacement.lines);
      index += replacement.count - 1;
    } else {
      output.push(header.lines[index] ?? "");
    }
  }
  if (insertAt >= header.lines.length) emitAdditions();

  const tests = review.filter((item) => item.category === "platform-test");
  if (tests.length > 0 && !options.noReviewComment) {
    output.push(
      "",
      `/* ${COMMENT_MARKER} configure results the CRTL knowledge base does not decide, kept as they were; check them`,
      ...wrapNames([...new Set(tests.map((item) => item.macro))]).map((line) => `   ${line}`),
      "*/",
    );
  }

  changes.sort((a, b) => a.line - b.line);
  return {
    text: writeHeader(output, header.eol, header.finalNewline || output.length > header.lines.length),
    report: {
      file: options.file ?? "-",
      form: header.form,
      settings,
      changes,
      review,
      unchanged,
      macroLines: header.macros.length,
    },
  };
}

/**
 * Finds the lines that a previous run of the adjuster wrote: the line after each `vmsport:` comment, or the
 * whole `#if`/`#ifndef` block that follows it, and the closing review comment, which is rewritten each run.
 */
function adjustedLines(lines: readonly string[]): Set<number> & { reviewComment: Set<number> } {
  const result = Object.assign(new Set<number>(), { reviewComment: new Set<number>() });
  const reviewStart = `/* ${COMMENT_MARKER} configure results`;
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? "").trim();
    if (line.startsWith(reviewStart)) {
      let end = index;
      while (end < lines.length && !(lines[end] ?? "").includes("*/")) end++;
      for (let covered = index; covered <= end; covered++) result.reviewComment.add(covered);
      // The blank line written before the comment goes too.
      if (index > 0 && (lines[index - 1] ?? "").trim() === "") result.reviewComment.add(index - 1);
      index = end;
      continue;
    }
    if (!line.startsWith(`/* ${COMMENT_MARKER}`)) continue;
    const next = index + 1;
    if (!/^\s*#\s*(if|ifdef|ifndef)\b/.test(lines[next] ?? "")) {
      result.add(next);
      continue;
    }
    let depth = 0;
    for (let covered = next; covered < lines.length; covered++) {
      const text = lines[covered] ?? "";
      if (/^\s*#\s*(if|ifdef|ifndef)\b/.test(text)) depth++;
      else if (/^\s*#\s*endif\b/.test(text)) depth--;
      result.add(covered);
      if (depth === 0) break;
    }
  }
  return result;
}

/**
 * Tells whether an entry leaves its configure result to the porter. A `keep` entry for a function, header,
 * type, member or declaration marks a fact the sources disagree on or do not confirm, so the line is kept and
 * listed for review. A `keep` feature macro (`_GNU_SOURCE`, …) is harmless as it is and is not listed.
 */
function needsReview(rule: LocatedCrtlRule): boolean {
  return rule.status === "keep" && rule.kind !== "feature-macro";
}

function reviewCategory(macro: MacroLine): ReviewCategory {
  if (!PLATFORM_TEST.test(macro.name)) return "project-setting";
  const undefinedOnUnix =
    macro.form === "undef" ||
    macro.form === "commented-undef" ||
    (macro.form === "define" && macro.value === "0");
  return undefinedOnUnix ? "undefined-test" : "platform-test";
}

function commentLine(reason: string): string {
  return `/* ${COMMENT_MARKER} ${reason} */`;
}

function wrapNames(names: readonly string[]): string[] {
  const lines: string[] = [];
  let current = "";
  for (const name of names) {
    if (current !== "" && current.length + name.length + 1 > 100) {
      lines.push(current);
      current = "";
    }
    current = current === "" ? name : `${current} ${name}`;
  }
  if (current !== "") lines.push(current);
  return lines;
}

/** Tells whether a macro follows the "defined to 0 or 1" convention (autoconf HAVE_DECL_*, cmake #cmakedefine01). */
function isZeroOneStyle(macro: MacroLine): boolean {
  if (macro.form === "cmakedefine01") return true;
  if (macro.name.startsWith("HAVE_DECL_")) return true;
  return macro.form === "define" && macro.value === "0";
}

/** Lines a single outcome produces for a macro. */
function outcomeLines(macro: MacroLine, outcome: Outcome, zeroOne: boolean): string[] {
  const hash = `#${macro.indent}`;
  if ("value" in outcome) return [`${hash}define ${macro.name} ${outcome.value}`.trimEnd()];
  if (outcome.status === "absent") {
    return zeroOne ? [`${hash}define ${macro.name} 0`] : [`/* ${hash}undef ${macro.name} */`];
  }
  return [`${hash}define ${macro.name} ${presentValue(macro, zeroOne)}`];
}

/** Value written for a macro that OpenVMS provides: the input's own value when it has a usable one, else 1. */
function presentValue(macro: MacroLine, zeroOne: boolean): string {
  if (zeroOne) return "1";
  if (macro.form === "define" && macro.value !== "" && macro.value !== "0") return macro.value;
  if (macro.form === "cmakedefine" && macro.value !== "" && !/[@$]/.test(macro.value)) return macro.value;
  return "1";
}

/** Tells whether an input line already has the meaning the outcome requires. */
function alreadyMatches(macro: MacroLine, outcome: Outcome, zeroOne: boolean): boolean {
  if (macro.form === "cmakedefine" || macro.form === "cmakedefine01") return false;
  if ("value" in outcome) return macro.form === "define" && macro.value === outcome.value;
  if (outcome.status === "absent") {
    if (zeroOne) return macro.form === "define" && macro.value === "0";
    return macro.form === "commented-undef" || macro.form === "undef";
  }
  return macro.form === "define" && macro.value !== "0";
}

function rewriteMacroLine(
  macro: MacroLine,
  branches: Branch[],
): { kind: ChangeKind | "none"; lines: string[] } | undefined {
  if (branches.length === 0) return undefined;
  const zeroOne = isZeroOneStyle(macro);
  const only = branches[0];
  if (branches.length === 1 && only && only.tests.length === 0) {
    if (alreadyMatches(macro, only.outcome, zeroOne)) return { kind: "none", lines: [] };
    return { kind: changeKind(only.outcome), lines: outcomeLines(macro, only.outcome, zeroOne) };
  }
  return {
    kind: "conditional",
    lines: conditionalLines(branches, (outcome) => outcomeLines(macro, outcome, zeroOne)),
  };
}

function changeKind(outcome: Outcome): ChangeKind {
  if ("value" in outcome) return "value";
  return outcome.status === "absent" ? "undefined" : "defined";
}

/** Renders branches as an `#if` / `#elif` / `#else` / `#endif` chain. */
function conditionalLines(branches: readonly Branch[], render: (outcome: Outcome) => string[]): string[] {
  const lines: string[] = [];
  branches.forEach((branch, position) => {
    if (branch.tests.length === 0) {
      if (position === 0) lines.push(...render(branch.outcome));
      else lines.push("#else", ...render(branch.outcome));
      return;
    }
    lines.push(`${position === 0 ? "#if" : "#elif"} ${joinTests(branch.tests)}`, ...render(branch.outcome));
  });
  if (branches.length > 1 || (branches[0]?.tests.length ?? 0) > 0) lines.push("#endif");
  return lines;
}

interface Addition {
  rule: LocatedCrtlRule;
  lines: string[];
}

/** Blocks for feature macros marked `add` that the header does not mention. */
function featureMacroBlocks(
  knowledge: CrtlKnowledgeBase,
  settings: TargetSettings,
  seen: Set<string>,
): Addition[] {
  const additions: Addition[] = [];
  for (const rule of knowledge.rules) {
    if (rule.kind !== "feature-macro" || !rule.add || !rule.macro) continue;
    if ([rule.macro, ...(rule.aliases ?? [])].some((name) => seen.has(name))) continue;
    const name = rule.macro;
    const branches = decide(rule, settings).filter(
      (branch, index, all) =>
        !(index === all.length - 1 && "status" in branch.outcome && branch.outcome.status === "absent"),
    );
    if (branches.length === 0) continue;
    const render = (outcome: Outcome): string[] =>
      "value" in outcome
        ? [`#define ${name} ${outcome.value}`]
        : outcome.status === "present"
          ? [`#define ${name} 1`]
          : [];
    const body = conditionalLines(branches, render);
    additions.push({ rule, lines: [`#ifndef ${name}`, ...body, "#endif"] });
  }
  return additions;
}

/**
 * Finds where added feature macros go: after the header guard's `#define`, else before the first directive
 * and the comment lines directly above it.
 */
function insertionIndex(header: HeaderFile): number {
  if (header.guard) return header.guard.defineIndex + 1;
  const first = header.lines.findIndex((line) => /^\s*#/.test(line));
  if (first === -1) return header.lines.length;
  // Step back over the comment that describes the first directive, so the two stay together.
  let index = first;
  while (index > 0 && (header.lines[index - 1] ?? "").trim() !== "") index--;
  return index;
}
