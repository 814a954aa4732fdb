/**
 * Rendering and checking of MMS description files (also read by MadGoat MMK).
 *
 * Syntax follows OpenVMS HELP MMS "Description_File" (topics Dependency_rules, Macros, Special-Macros and
 * Action_line_prefixes). A dependency line starts in column 1 and needs a blank or tab on both sides of
 * its colon, because device names contain colons. Action lines start with a blank or tab and are DCL
 * commands without `$`. A macro definition `NAME = string` starts in column 1 and must come before its
 * first use. `!` starts a comment and a trailing hyphen continues a line.
 *
 * NOTE: `#` comments are accepted by the checker because MMK reads them; whether MMS does is not verified.
 */

import { checkProcedure } from "./check.js";
import { renderActionRecords } from "./command.js";
import { byteLength, DEFAULT_LIMITS, findControlCharacter } from "./limits.js";
import type {
  CheckOptions,
  DclCommand,
  DclIssue,
  DclRaw,
  MmsRule,
  RenderOptions,
  RenderResult,
} from "./types.js";

export interface MmsCheckOptions extends CheckOptions {
  /** Macros defined outside the file (`MMS/MACRO=…` or CLI symbols); other undefined macros are reported. */
  macros?: readonly string[];
}

/** Indentation of action lines. */
const ACTION_INDENT = "\t";

const MACRO_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Built-in macros of MMS and MMK that need no definition (HELP MMS Description_File Reserved-Macros). */
const BUILT_IN_MACROS = new Set([
  "CC",
  "CFLAGS",
  "CXX",
  "CXXFLAGS",
  "LINK",
  "LINKFLAGS",
  "LIBR",
  "LIBRFLAGS",
  "MACRO",
  "MFLAGS",
  "FORT",
  "FFLAGS",
  "MMS",
  "MMSQUALIFIERS",
  "MMSDESCRIPTION",
  "MMSTARGETS",
  "MMK",
  "MESSAGE",
  "MSGFLAGS",
]);

/** Directives that stand alone on a line, without a colon. */
const DIRECTIVES = new Set([
  ".IFDEF",
  ".IFNDEF",
  ".IF",
  ".ELSIF",
  ".ELSE",
  ".ENDIF",
  ".INCLUDE",
  ".SUFFIXES",
  ".IGNORE",
  ".SILENT",
  ".DEFAULT",
]);

function failure(message: string, token?: string): RenderResult {
  return {
    error: token === undefined ? { code: "unsafe-value", message } : { code: "unsafe-value", message, token },
  };
}

/** Reason a piece of description-file text cannot be written, or undefined. */
function unsafeMmsText(text: string): string | undefined {
  if (findControlCharacter(text, true) >= 0) return "contains a control character or line break";
  if (text.includes("!")) return "contains `!`, which starts an MMS comment";
  return undefined;
}

/** Join words with `separator`, wrapping with ` -` continuations at `width`. */
function wrapWords(
  first: string,
  words: readonly string[],
  separator: string,
  options: RenderOptions,
): string[] {
  const width = Math.min(options.width ?? 80, (options.limits ?? DEFAULT_LIMITS).maxRecord);
  const indent = options.continuationIndent ?? "    ";
  const lines: string[] = [];
  let line = first;
  words.forEach((word, index) => {
    const piece = word + (index < words.length - 1 ? separator.trimEnd() : "");
    const joiner = index === 0 || line.endsWith(" ") ? "" : " ";
    if (index > 0 && byteLength(line + joiner + piece) + 2 > width) {
      lines.push(`${line} -`);
      line = indent + piece;
    } else {
      line += joiner + piece;
    }
  });
  lines.push(line);
  return lines;
}

/** Render a macro definition `NAME = value`, continued with ` -` at blanks when long. */
export function renderMmsMacro(name: string, value: string, options: RenderOptions = {}): RenderResult {
  if (!MACRO_NAME.test(name)) return failure(`invalid MMS macro name "${name}"`, name);
  const unsafe = unsafeMmsText(value);
  if (unsafe !== undefined) return failure(`value of macro ${name} ${unsafe}`, value);
  if (value.trimEnd().endsWith("-"))
    return failure(`value of macro ${name} ends with a hyphen, which continues the line`);
  const words = value.split(/ +/).filter((word) => word.length > 0);
  if (words.length === 0) return { lines: [`${name} =`] };
  return { lines: wrapWords(`${name} = `, words, " ", options) };
}

/** Render comment text as `! text` lines; MMS comments need no escaping of apostrophes. */
export function renderMmsComment(text: string): string[] {
  return text.split(/\r?\n/).map((line) => {
    let clean = "";
    for (const character of line) clean += findControlCharacter(character) >= 0 ? " " : character;
    clean = clean.trimEnd();
    // A trailing hyphen would continue the comment onto the next line.
    const safe = clean.endsWith("-") ? `${clean}.` : clean;
    return safe.length > 0 ? `! ${safe}` : "!";
  });
}

function isRaw(action: DclCommand | DclRaw): action is DclRaw {
  return "kind" in action && action.kind === "raw";
}

/** Render one action line (a DCL command without `$`) indented by a tab, with an optional prefix. */
export function renderMmsAction(
  action: DclCommand | DclRaw,
  options: RenderOptions & { prefix?: MmsRule["actionPrefix"] } = {},
): RenderResult {
  // HELP MMS Description_File Action_line_prefixes: at least one blank or tab follows the prefixes.
  const prefix = options.prefix ? `${options.prefix} ` : "";
  if (isRaw(action)) {
    if (/[\r\n]/.test(action.text)) return failure("an action line contains a line break", action.text);
    return { lines: [ACTION_INDENT + prefix + action.text] };
  }
  if (action.comment !== undefined) {
    return failure(
      `the action ${action.verb} carries a comment; render it with renderMmsComment before the rule`,
    );
  }
  return renderActionRecords(action, ACTION_INDENT, prefix, {
    ...options,
    continuationIndent: ACTION_INDENT + (options.continuationIndent ?? "    "),
  });
}

/**
 * Render a dependency rule `targets : sources` followed by its action lines. Blanks surround the colon,
 * and long source lists continue with ` -`.
 */
export function renderMmsRule(rule: MmsRule, options: RenderOptions = {}): RenderResult {
  if (rule.targets.length === 0) return failure("an MMS rule needs at least one target");
  for (const name of [...rule.targets, ...rule.sources]) {
    const unsafe =
      unsafeMmsText(name) ??
      (/\s/.test(name) || name.length === 0 ? "is empty or contains a blank" : undefined);
    if (unsafe !== undefined) return failure(`target or source "${name}" ${unsafe}`, name);
  }

  const head = `${rule.targets.join(", ")} :`;
  const lines = rule.sources.length === 0 ? [head] : wrapWords(`${head} `, rule.sources, ", ", options);
  for (const action of rule.actions) {
    const rendered = renderMmsAction(action, { ...options, prefix: rule.actionPrefix ?? "" });
    if ("error" in rendered) return rendered;
    lines.push(...rendered.lines);
  }
  return { lines };
}

/** A logical line of a description file after joining continuation lines. */
interface MmsLine {
  record: number;
  text: string;
  /** Physical records that make up the line. */
  records: string[];
}

function joinLines(text: string, issues: DclIssue[]): MmsLine[] {
  const records = text.split("\n").map((record) => record.replace(/\r$/, ""));
  if (records.length > 0 && records[records.length - 1] === "") records.pop();

  const lines: MmsLine[] = [];
  let index = 0;
  while (index < records.length) {
    const start = index;
    let joined = "";
    const parts: string[] = [];
    for (;;) {
      const record = records[index] ?? "";
      parts.push(record);
      index++;
      const trimmed = record.trimEnd();
      const isComment = /^[ \t]*[!#]/.test(record);
      if (!isComment && trimmed.endsWith("\\")) {
        issues.push({
          record: index,
          column: trimmed.length,
          code: "mms-invalid-line",
          severity: "warning",
          message: "backslash continuation is not documented for MMS; end the line with a hyphen",
        });
      }
      if (isComment || !trimmed.endsWith("-") || index >= records.length) {
        joined +=
          trimmed.endsWith("-") && !isComment && index >= records.length ? trimmed.slice(0, -1) : record;
        if (!isComment && trimmed.endsWith("-") && index >= records.length) {
          issues.push({
            record: index,
            column: trimmed.length,
            code: "dangling-continuation",
            severity: "error",
            message: "the last line ends with a hyphen but no line follows",
          });
        }
        break;
      }
      joined += `${trimmed.slice(0, -1)} `;
    }
    lines.push({ record: start + 1, text: joined, records: parts });
  }
  return lines;
}

/** Macro names referenced as `$(NAME)` in a line. */
function macroReferences(text: string): { name: string; column: number }[] {
  const references: { name: string; column: number }[] = [];
  for (const match of text.matchAll(/\$\(([^)\s]+)\)/g)) {
    references.push({ name: (match[1] ?? "").toUpperCase(), column: (match.index ?? 0) + 1 });
  }
  return references;
}

/** Check an action line as a DCL command and move the issues to the description file's line numbers. */
function checkAction(line: MmsLine, body: string, options: MmsCheckOptions, issues: DclIssue[]): void {
  // MMS expands its macros before it passes the line to DCL, so references are measured as written.
  const procedure = `$ ${body.replace(/\$\(([^)\s]+)\)/g, "$1")}\n`;
  for (const found of checkProcedure(procedure, { ...options, allowBareData: true })) {
    if (found.code === "record-too-long") continue;
    issues.push({ ...found, record: line.record, column: Math.max(1, found.column - 2) });
  }
}

/**
 * Check an MMS description file and return every problem found, sorted by line. Action lines are also
 * checked as DCL commands with `checkProcedure`.
 */
export function checkDescription(text: string, options: MmsCheckOptions = {}): DclIssue[] {
  const issues: DclIssue[] = [];
  const defined = new Set<string>((options.macros ?? []).map((name) => name.toUpperCase()));
  const limits = options.limits ?? DEFAULT_LIMITS;
  let inRule = false;

  for (const line of joinLines(text, issues)) {
    for (const [offset, record] of line.records.entries()) {
      if (byteLength(record) > limits.maxRecord) {
        issues.push({
          record: line.record + offset,
          column: limits.maxRecord + 1,
          code: "record-too-long",
          severity: "error",
          message: `line is ${byteLength(record)} bytes, over the limit of ${limits.maxRecord}`,
        });
      }
    }

    const content = line.text;
    if (content.trim().length === 0) continue;
    if (/^[ \t]*[!#]/.test(content)) continue;

    for (const reference of macroReferences(content)) {
      const known =
        defined.has(reference.name) ||
        BUILT_IN_MACROS.has(reference.name) ||
        reference.name.startsWith("MMS$");
      if (!known) {
        issues.push({
          record: line.record,
          column: reference.column,
          code: "mms-undefined-macro",
          severity: "warning",
          message: `macro ${reference.name} is used before any definition; MMS then uses a DCL symbol or an empty string`,
        });
      }
    }

    if (/^[ \t]/.test(content)) {
      if (!inRule) {
        issues.push({
          record: line.record,
          column: 1,
          code: "mms-action-before-rule",
          severity: "error",
          message: "indented line is an action line, but no dependency rule comes before it",
        });
        continue;
      }
      const trimmed = content.trim();
      // HELP MMS Description_File Action_line_prefixes: a blank or tab separates the prefixes from the rest.
      if (/^[-@]+[^-@\s]/.test(trimmed)) {
        issues.push({
          record: line.record,
          column: content.length - content.trimStart().length + 1,
          code: "mms-prefix-without-blank",
          severity: "error",
          message: "an action line prefix (- or @) must be followed by a blank or tab",
        });
      }
      const body = trimmed.replace(/^(\?[A-Za-z_$][A-Za-z0-9_$]*\s*|[-@]+)/, "").trimStart();
      if (body.length > 0) checkAction(line, body, options, issues);
      continue;
    }

    const macro = /^([A-Za-z_$][A-Za-z0-9_$]*)[ \t]*=/.exec(content);
    if (macro?.[1] !== undefined) {
      defined.add(macro[1].toUpperCase());
      inRule = false;
      continue;
    }

    const word = /^(\.[A-Za-z_]+)/.exec(content)?.[1]?.toUpperCase();
    if (word !== undefined && DIRECTIVES.has(word) && !/[ \t]:([ \t]|$)/.test(content)) {
      inRule = false;
      continue;
    }

    if (/[ \t]:{1,2}([ \t]|$)/.test(content)) {
      inRule = true;
      continue;
    }
    const colon = content.indexOf(":");
    if (colon >= 0) {
      issues.push({
        record: line.record,
        column: colon + 1,
        code: "mms-missing-colon-blank",
        severity: "error",
        message:
          "dependency colon needs a blank or tab on both sides, or MMS reads it as part of a device name",
      });
      inRule = true;
      continue;
    }
    issues.push({
      record: line.record,
      column: 1,
      code: "mms-invalid-line",
      severity: "error",
      message: "line is not a rule, action, macro definition, directive or comment",
    });
  }
  return issues.sort((a, b) => a.record - b.record || a.column - b.column);
}
