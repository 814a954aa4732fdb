/**
 * Detection of C or C++ code in a file given as a `config.h`. Generated config headers hold only preprocessor
 * lines and comments. Hand-written ones (the config headers of OpenVMS ports, for example) may add typedefs
 * and a few prototypes. A source file, or an ordinary header that declares a library's interface, has
 * function definitions, initialized objects or many declarations.
 */

/** Evidence that a file is C code rather than a config.h, with the 1-based line where it starts. */
export interface CodeEvidence {
  line: number;
  /** Description of the construct found, for example `function definition "main"`. */
  description: string;
}

/** A construct at file scope, outside preprocessor lines and comments. */
interface TopLevelItem {
  kind: "function-definition" | "initialized-definition" | "typedef" | "declaration" | "unterminated";
  /** Offset of the first character in the text. */
  offset: number;
  /** The identifier before the first `(`, or the last identifier before `=`, when there is one. */
  name?: string;
}

/**
 * Finds C code outside preprocessor lines: a function definition, an object defined with an initializer, or
 * more declarations (not counting typedefs) than macro lines. Returns undefined for a config header, which
 * may contain typedefs and a few prototypes besides its macros.
 */
export function findCode(text: string, macroLines: number): CodeEvidence | undefined {
  // NOTE: A C file with nothing outside preprocessor lines (only #include and #define) has no evidence and is accepted.
  const masked = maskNonCode(text);
  const items = topLevelItems(masked);
  const lineOf = (offset: number) => lineNumber(text, offset);

  for (const item of items) {
    if (item.kind === "function-definition") {
      const name = item.name === undefined ? "" : ` "${item.name}"`;
      return { line: lineOf(item.offset), description: `function definition${name}` };
    }
    if (item.kind === "initialized-definition") {
      const name = item.name === undefined ? "an object" : `"${item.name}"`;
      return { line: lineOf(item.offset), description: `definition of ${name} with an initializer` };
    }
    if (item.kind === "unterminated") {
      return {
        line: lineOf(item.offset),
        description: "text that is neither a preprocessor line nor a declaration",
      };
    }
  }

  const declarations = items.filter((item) => item.kind === "declaration");
  const first = declarations[0];
  if (first && declarations.length > macroLines) {
    return {
      line: lineOf(first.offset),
      description: `${declarations.length} declarations outside preprocessor lines, more than its ${macroLines} macro lines`,
    };
  }
  return undefined;
}

/**
 * Replaces comments, string and character literals and preprocessor lines (with their continuation lines)
 * by blanks. Line breaks stay, so offsets and line numbers still match the input.
 */
export function maskNonCode(text: string): string {
  const out: string[] = [];
  let atLineStart = true;
  let inDirective = false;
  let i = 0;
  while (i < text.length) {
    const character = text[i] ?? "";
    const next = text[i + 1] ?? "";

    if (character === "\n") {
      // A directive goes on after a line that ends in a backslash.
      if (inDirective && !endsWithBackslash(text, i)) inDirective = false;
      out.push("\n");
      atLineStart = true;
      i++;
      continue;
    }
    if (character === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out.push(blank(text.slice(i, stop)));
      i = stop;
      continue;
    }
    if (character === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      out.push(blank(text.slice(i, stop)));
      i = stop;
      continue;
    }
    if (atLineStart && character === "#") inDirective = true;
    if (character !== " " && character !== "\t" && character !== "\r") atLineStart = false;
    if (character === '"' || character === "'") {
      // A literal is skipped whole, so that a `/*` inside it does not open a comment.
      const stop = literalEnd(text, i);
      if (inDirective) out.push(blank(text.slice(i, stop)));
      // The quotes stay, so that `extern "C"` is still recognisable.
      else out.push(character, blank(text.slice(i + 1, stop - 1)), stop - 1 > i ? character : "");
      i = stop;
      continue;
    }
    if (inDirective) {
      out.push(" ");
      i++;
      continue;
    }
    out.push(character);
    i++;
  }
  return out.join("");
}

function endsWithBackslash(text: string, newline: number): boolean {
  let index = newline - 1;
  if (text[index] === "\r") index--;
  return text[index] === "\\";
}

/** Returns the offset after a string or character literal, or the end of the line for an unclosed one. */
function literalEnd(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    const character = text[i];
    if (character === "\\") i += 2;
    else if (character === quote) return i + 1;
    else if (character === "\n") return i;
    else i++;
  }
  return text.length;
}

function blank(text: string): string {
  return text.replace(/[^\n]/g, " ");
}

const AGGREGATE = /^(?:typedef\b|struct\b|union\b|enum\b|class\b)/;
const LINKAGE_BLOCK = /^(?:extern\s*"\s*"|namespace\b[\w\s:]*)$/;

/** Splits masked text into file-scope items at `;` and at the braces of function bodies. */
function topLevelItems(masked: string): TopLevelItem[] {
  const items: TopLevelItem[] = [];
  let start = -1;
  let parenDepth = 0;
  // Depth of `extern "C" {` and `namespace {` blocks, whose contents are still at file scope.
  let linkageDepth = 0;

  const currentText = (end: number) => (start === -1 ? "" : masked.slice(start, end).trim());

  for (let i = 0; i < masked.length; i++) {
    const character = masked[i] ?? "";
    if (/\s/.test(character)) continue;
    if (start === -1 && character !== "}" && character !== ";") start = i;

    if (character === "(") parenDepth++;
    else if (character === ")") parenDepth = Math.max(0, parenDepth - 1);
    else if (parenDepth > 0) continue;
    else if (character === ";") {
      const text = currentText(i);
      if (text !== "") items.push(classify(text, start));
      start = -1;
    } else if (character === "{") {
      const text = currentText(i);
      if (LINKAGE_BLOCK.test(text)) {
        linkageDepth++;
        start = -1;
        continue;
      }
      const close = matchingBrace(masked, i);
      if (isFunctionBody(text)) {
        items.push({ kind: "function-definition", offset: start, ...nameBeforeParen(text) });
        start = -1;
      }
      // An aggregate's body or an initializer list belongs to the item, which ends at the next `;`.
      i = close;
    } else if (character === "}" && linkageDepth > 0) {
      linkageDepth--;
      start = -1;
    }
  }
  // A lone word or two at the end may be a macro such as __END_DECLS, so only longer text counts.
  const rest = currentText(masked.length);
  if (rest !== "" && !/^[A-Za-z_]\w*(\s+[A-Za-z_]\w*)?$/.test(rest)) {
    items.push({ kind: "unterminated", offset: start });
  }
  return items;
}

/**
 * Tells whether the text before a `{` at file scope starts a function body. That is so when it ends with the
 * parameter list (possibly followed by qualifiers such as `const`), or when it is empty, as after the parameter
 * declarations of a K&R definition. A struct, union, enum or class body and an initializer list are not.
 */
function isFunctionBody(text: string): boolean {
  if (text === "") return true;
  if (/\)(?:\s*\b[A-Za-z_]\w*\b)*\s*$/.test(text)) return true;
  if (/=$/.test(text) || AGGREGATE.test(text)) return false;
  return true;
}

function matchingBrace(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    if (masked[i] === "{") depth++;
    else if (masked[i] === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return masked.length;
}

function classify(text: string, offset: number): TopLevelItem {
  if (/^typedef\b/.test(text)) return { kind: "typedef", offset };
  // Enumerator values and member initializers inside braces are not initialized objects.
  const outer = withoutNested(withoutNested(text, "{", "}"), "(", ")");
  const assignment = /([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*=(?!=)/.exec(outer);
  if (assignment) return { kind: "initialized-definition", offset, name: assignment[1] ?? "" };
  return { kind: "declaration", offset };
}

/** Replaces what nests inside each outermost pair of brackets by nothing, keeping the brackets. */
function withoutNested(text: string, open: string, close: string): string {
  let depth = 0;
  let result = "";
  for (const character of text) {
    if (character === close && depth > 0) depth--;
    if (depth === 0) result += character;
    if (character === open) depth++;
  }
  return result;
}

function nameBeforeParen(text: string): { name?: string } {
  const match = /([A-Za-z_]\w*)\s*\(/.exec(text);
  return match?.[1] === undefined ? {} : { name: match[1] };
}

function lineNumber(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}
