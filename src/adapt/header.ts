/**
 * Reader for the `config.h` files that autoconf (`config.status`) and cmake (`configure_file`) write, and for
 * cmake templates that still hold `#cmakedefine` lines. The reader keeps every physical line, so the writer
 * can reproduce the file byte for byte except for the lines the adjuster replaces.
 */

/** Syntax of a macro line. */
export type MacroLineForm =
  /** `#define NAME` or `#define NAME value`. */
  | "define"
  /** `#undef NAME` as an active directive. */
  | "undef"
  /** `/* #undef NAME *\/`, the form autoconf and cmake write for a failed test. */
  | "commented-undef"
  /** `#cmakedefine NAME [value]` in a template. */
  | "cmakedefine"
  /** `#cmakedefine01 NAME` in a template. */
  | "cmakedefine01";

/** An `#if`, `#ifdef` or `#ifndef` block that encloses a macro line. */
export interface EnclosingConditional {
  /** The test after the directive, without comments. `#ifdef X` is stored as `defined X`, `#ifndef X` as `!defined X`. */
  test: string;
  /** Whether the line follows an `#else` or `#elif` of the block, so that `test` is false there. */
  pastElse: boolean;
}

/** A line (or backslash-continued group of lines) that defines or undefines one macro. */
export interface MacroLine {
  /** Index of the first physical line in `HeaderFile.lines`. */
  index: number;
  /** Number of physical lines, more than one when the definition is continued with a backslash. */
  count: number;
  name: string;
  form: MacroLineForm;
  /** Replacement text for `define` and `cmakedefine`, trimmed; empty for `#define NAME`. */
  value: string;
  /** Blanks between `#` and the directive, kept so nested autoconf blocks keep their indentation. */
  indent: string;
  /** Nesting depth of `#if` blocks around the line (the header guard counts). */
  depth: number;
  /** The `#if` blocks around the line, outermost first. */
  conditionals: EnclosingConditional[];
  /** Function-like macro (`#define F(x) …`); never rewritten. */
  functionLike: boolean;
}

export interface HeaderFile {
  lines: string[];
  /** The line ending of the input; the writer uses it for every line. */
  eol: "\n" | "\r\n";
  /** Whether the input ended with a line ending. */
  finalNewline: boolean;
  macros: MacroLine[];
  /** `autoconf-or-cmake` for generated files, `cmake-template` when `#cmakedefine` lines are present. */
  form: "autoconf-or-cmake" | "cmake-template";
  /** Header guard macro when the file starts with `#ifndef G` followed by `#define G`. */
  guard?: { name: string; defineIndex: number };
}

const DEFINE = /^\s*#(\s*)define\s+([A-Za-z_][A-Za-z0-9_]*)(\()?(.*)$/;
const UNDEF = /^\s*#(\s*)undef\s+([A-Za-z_][A-Za-z0-9_]*)\s*(\/\*.*\*\/)?\s*$/;
const COMMENTED_UNDEF = /^\s*\/\*\s*#(\s*)undef\s+([A-Za-z_][A-Za-z0-9_]*)\s*\*\/\s*$/;
const CMAKEDEFINE = /^\s*#(\s*)cmakedefine(01)?\s+([A-Za-z_][A-Za-z0-9_]*)(.*)$/;
const CONDITIONAL_OPEN = /^\s*#\s*(if|ifdef|ifndef)\b(.*)$/;
const CONDITIONAL_ELSE = /^\s*#\s*(else|elif)\b/;
const CONDITIONAL_CLOSE = /^\s*#\s*endif\b/;
const IFNDEF = /^\s*#\s*ifndef\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/;

/** Splits a header into lines and finds its macro lines. Lines it cannot read are kept as plain text, so any input is accepted. */
export function readHeader(text: string): HeaderFile {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const finalNewline = text.endsWith("\n");
  const body = finalNewline
    ? text.slice(0, text.length - (eol === "\r\n" && text.endsWith("\r\n") ? 2 : 1))
    : text;
  const lines = body === "" && !finalNewline ? [] : body.split(/\r?\n/);
  const macros: MacroLine[] = [];
  const conditionals: EnclosingConditional[] = [];
  let templateSeen = false;
  let inComment = false;

  for (let index = 0; index < lines.length; index++) {
    const first = lines[index] ?? "";
    let count = 1;
    let joined = first;
    while (joined.endsWith("\\") && index + count < lines.length) {
      joined = `${joined.slice(0, -1)} ${lines[index + count] ?? ""}`;
      count++;
    }

    // Text inside a block comment is prose, even when it looks like a directive.
    const wasInComment = inComment;
    inComment = updateCommentState(joined, inComment);
    if (wasInComment) {
      index += count - 1;
      continue;
    }

    const line = parseMacroLine(joined, index, count, conditionals);
    const open = line ? null : CONDITIONAL_OPEN.exec(joined);
    if (line) {
      macros.push(line);
      if (line.form === "cmakedefine" || line.form === "cmakedefine01") templateSeen = true;
    } else if (open) {
      conditionals.push({ test: conditionalTest(open[1] ?? "if", open[2] ?? ""), pastElse: false });
    } else if (CONDITIONAL_ELSE.test(joined)) {
      const innermost = conditionals.at(-1);
      if (innermost) innermost.pastElse = true;
    } else if (CONDITIONAL_CLOSE.test(joined)) {
      conditionals.pop();
    }
    index += count - 1;
  }

  const header: HeaderFile = {
    lines,
    eol,
    finalNewline,
    macros,
    form: templateSeen ? "cmake-template" : "autoconf-or-cmake",
  };
  const guard = findGuard(lines, macros);
  if (guard) header.guard = guard;
  return header;
}

function conditionalTest(directive: string, rest: string): string {
  const test = stripTrailingComment(rest).trim();
  if (directive === "ifdef") return `defined ${test}`;
  if (directive === "ifndef") return `!defined ${test}`;
  return test;
}

function parseMacroLine(
  text: string,
  index: number,
  count: number,
  conditionals: readonly EnclosingConditional[],
): MacroLine | undefined {
  const base = {
    index,
    count,
    depth: conditionals.length,
    conditionals: conditionals.map((conditional) => ({ ...conditional })),
    functionLike: false,
  };
  let match = DEFINE.exec(text);
  if (match) {
    const [, indent = "", name = "", paren, rest = ""] = match;
    return {
      ...base,
      name,
      form: "define",
      value: stripTrailingComment(rest).trim(),
      indent,
      functionLike: paren !== undefined,
    };
  }
  match = UNDEF.exec(text);
  if (match) return { ...base, name: match[2] ?? "", form: "undef", value: "", indent: match[1] ?? "" };
  match = COMMENTED_UNDEF.exec(text);
  if (match)
    return { ...base, name: match[2] ?? "", form: "commented-undef", value: "", indent: match[1] ?? "" };
  match = CMAKEDEFINE.exec(text);
  if (match) {
    const [, indent = "", is01, name = "", rest = ""] = match;
    return { ...base, name, form: is01 ? "cmakedefine01" : "cmakedefine", value: rest.trim(), indent };
  }
  return undefined;
}

/** Removes a trailing `/* … *\/` or `// …` comment from a macro's replacement text. */
function stripTrailingComment(value: string): string {
  let inString: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const character = value[i];
    if (inString) {
      if (character === "\\") i++;
      else if (character === inString) inString = undefined;
      continue;
    }
    if (character === '"' || character === "'") inString = character;
    else if (character === "/" && (value[i + 1] === "*" || value[i + 1] === "/")) return value.slice(0, i);
  }
  return value;
}

/** Tracks whether a block comment is still open at the end of a line. */
function updateCommentState(text: string, inComment: boolean): boolean {
  let open = inComment;
  let inString: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const pair = text.slice(i, i + 2);
    if (open) {
      if (pair === "*/") {
        open = false;
        i++;
      }
      continue;
    }
    const character = text[i];
    if (inString) {
      if (character === "\\") i++;
      else if (character === inString) inString = undefined;
      continue;
    }
    if (character === '"' || character === "'") inString = character;
    else if (pair === "//") return false;
    else if (pair === "/*") {
      open = true;
      i++;
    }
  }
  return open;
}

function findGuard(lines: string[], macros: MacroLine[]): HeaderFile["guard"] {
  let inComment = false;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index] ?? "";
    const wasInComment = inComment;
    inComment = updateCommentState(text, inComment);
    // Leading blank lines and comments (a licence block, for example) may come before the guard.
    const withoutComments = text
      .replace(/\/\*.*?\*\//g, "")
      .replace(/\/\/.*$/, "")
      .replace(/\/\*.*$/, "");
    if (wasInComment || withoutComments.trim() === "") continue;
    const match = IFNDEF.exec(withoutComments);
    if (!match) return undefined;
    const next = macros.find((macro) => macro.index > index);
    if (next && next.name === match[1] && next.form === "define" && next.index <= index + 2) {
      return { name: next.name, defineIndex: next.index };
    }
    return undefined;
  }
  return undefined;
}

/** Joins lines with the header's line ending. */
export function writeHeader(lines: readonly string[], eol: "\n" | "\r\n", finalNewline: boolean): string {
  const text = lines.join(eol);
  return finalNewline && lines.length > 0 ? text + eol : text;
}
