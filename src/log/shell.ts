/**
 * A POSIX shell word splitter for command lines found in logs. It follows the token rules of the Shell
 * Command Language chapter of POSIX.1-2017 (quoting, operators, redirections) but never expands or runs
 * anything: parameter expansions and command substitutions stay in the word as written, except for
 * automake's source-locating idiom, which is resolved without running it.
 */

export type Connector = "&&" | "||" | ";" | "|" | "&" | "";

export interface Redirection {
  /** Operator as written, with any file-descriptor number, for example `>`, `2>`, `>>`, `2>&1`. */
  operator: string;
  target: string;
}

/** One simple command of a command line. */
export interface SimpleCommand {
  /** Words after quote removal, with `VAR=value` prefixes removed. */
  words: string[];
  environment: Record<string, string>;
  redirections: Redirection[];
  /** Operator that joins this command to the one before it; empty for the first. */
  connector: Connector;
  /** Subshell nesting depth: 0 outside parentheses. */
  depth: number;
  /** Identifiers of the enclosing subshells and brace groups, outermost first, so a `cd` can be scoped. */
  scope: number[];
  /** True when a word contains a command substitution or expansion that was kept unexpanded. */
  unexpanded: boolean;
}

export interface CommandLine {
  commands: SimpleCommand[];
  /** True when quotes or parentheses were left open, so the text is probably not a shell command. */
  incomplete: boolean;
}

interface Word {
  value: string;
  raw: string;
  /** The word was quoted in some part, so an empty value is still a word. */
  quoted: boolean;
  unexpanded: boolean;
}

// Every token has all three fields, in one order, so that all tokens share one V8 hidden class and the
// loops that read them stay monomorphic.
type Token =
  | { type: "word"; operator: ""; word: Word }
  | { type: "operator"; operator: string; word: undefined }
  | { type: "redirect"; operator: string; word: undefined };

const AUTOMAKE_IDIOM = /^`test -f '([^']*)' \|\| echo '([^']*)'`(.*)$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Characters that end a run of ordinary word characters: blanks, quotes, `\\`, `$`, `` ` `` and operators. */
const SPECIAL = new Uint8Array(128);
for (const char of " \t'\"\\$`;&|()<>") SPECIAL[char.charCodeAt(0)] = 1;

/** Characters that `splitPlainCommand` leaves to the general path: the special ones but blanks, and `#`. */
const NOT_PLAIN = /[;&|()<>'"\\$`#]/;
const BLANKS = /[ \t]+/;

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

function isOperatorStart(char: string): boolean {
  return (
    char === ";" ||
    char === "&" ||
    char === "|" ||
    char === "(" ||
    char === ")" ||
    char === "<" ||
    char === ">"
  );
}

/**
 * Reads a `$(…)`, `${…}` or backquoted span starting at `start`, honouring nested quotes and parentheses.
 * Returns the index just after it.
 */
function skipSubstitution(text: string, start: number): number {
  if (text[start] === "`") {
    let i = start + 1;
    while (i < text.length && text[i] !== "`") i += text[i] === "\\" ? 2 : 1;
    return Math.min(i + 1, text.length);
  }
  const open = text[start + 1];
  const close = open === "(" ? ")" : "}";
  let depth = 0;
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === "\\") {
      i += 2;
      continue;
    }
    if (char === "'") {
      const end = text.indexOf("'", i + 1);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (char === open) depth++;
    else if (char === close) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return text.length;
}

/** Splits `text` into words and operators. Returns `incomplete` when a quote is never closed. */
export function tokenize(text: string): { tokens: Token[]; incomplete: boolean } {
  const tokens: Token[] = [];
  let incomplete = false;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (isBlank(code)) {
      i++;
      continue;
    }
    const char = text[i] as string;
    if (char === "#") break;
    // A file-descriptor number glued to a redirection operator belongs to the operator.
    if (code >= 48 && code <= 57) {
      let j = i;
      while (j < length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      if (text[j] === ">" || text[j] === "<") {
        const end = readRedirectOperator(text, j);
        tokens.push({ type: "redirect", operator: text.slice(i, end), word: undefined });
        i = end;
        continue;
      }
    }
    if (char === ">" || char === "<") {
      const end = readRedirectOperator(text, i);
      tokens.push({ type: "redirect", operator: text.slice(i, end), word: undefined });
      i = end;
      continue;
    }
    if (isOperatorStart(char)) {
      const two = text.slice(i, i + 2);
      if (two === "&&" || two === "||" || two === ";;") {
        tokens.push({ type: "operator", operator: two, word: undefined });
        i += 2;
      } else {
        tokens.push({ type: "operator", operator: char, word: undefined });
        i++;
      }
      continue;
    }
    const start = i;
    let value = "";
    let quoted = false;
    let unexpanded = false;
    while (i < length) {
      // Copy a run of ordinary characters in one slice; most words of a compile command are nothing else.
      const runStart = i;
      while (i < length && !SPECIAL[text.charCodeAt(i)]) i++;
      if (i > runStart) value += text.slice(runStart, i);
      if (i >= length) break;
      const c = text[i] as string;
      const cc = text.charCodeAt(i);
      if (isBlank(cc) || isOperatorStart(c)) break;
      if (c === "\\") {
        if (i + 1 < length) value += text[i + 1];
        quoted = true;
        i += 2;
        continue;
      }
      if (c === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) {
          incomplete = true;
          value += text.slice(i + 1);
          i = length;
          break;
        }
        value += text.slice(i + 1, end);
        quoted = true;
        i = end + 1;
        continue;
      }
      if (c === '"') {
        quoted = true;
        i++;
        let closed = false;
        while (i < length) {
          const d = text[i] as string;
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === "\\") {
            const next = text[i + 1];
            // Inside double quotes a backslash escapes only these characters; elsewhere it stays.
            if (next === "$" || next === "`" || next === '"' || next === "\\") {
              value += next;
              i += 2;
              continue;
            }
            value += d;
            i++;
            continue;
          }
          if (d === "`" || (d === "$" && (text[i + 1] === "(" || text[i + 1] === "{"))) {
            const end = skipSubstitution(text, i);
            value += text.slice(i, end);
            unexpanded = true;
            i = end;
            continue;
          }
          if (d === "$" && /[A-Za-z_@*#?$!0-9-]/.test(text[i + 1] ?? "")) unexpanded = true;
          value += d;
          i++;
        }
        if (!closed) incomplete = true;
        continue;
      }
      if (c === "`" || (c === "$" && (text[i + 1] === "(" || text[i + 1] === "{"))) {
        const end = skipSubstitution(text, i);
        value += text.slice(i, end);
        unexpanded = true;
        i = end;
        continue;
      }
      if (c === "$" && /[A-Za-z_@*#?$!0-9-]/.test(text[i + 1] ?? "")) unexpanded = true;
      value += c;
      i++;
    }
    // A word of ordinary characters only is its own raw text, so it needs no second copy.
    const raw = value.length === i - start && !quoted && !unexpanded ? value : text.slice(start, i);
    const word: Word = { value, raw, quoted, unexpanded };
    if (unexpanded) resolveAutomakeIdiom(word);
    tokens.push({ type: "word", operator: "", word });
  }
  return { tokens, incomplete };
}

function readRedirectOperator(text: string, start: number): number {
  let end = start + 1;
  const next = text[end];
  if (next === ">" || next === "&" || next === "|" || (text[start] === "<" && next === "<")) end++;
  if (text[end - 1] === "&") {
    // `2>&1` and `>&-` name a descriptor, which is part of the operator, not a file.
    while (end < text.length && /[0-9-]/.test(text[end] as string)) end++;
  }
  return end;
}

/**
 * Resolves `` `test -f 'x.c' || echo './'`x.c ``, which automake writes so that make's VPATH search can
 * work. Both branches name the same file relative to the build directory (`./x.c` or `x.c`), so the word
 * is the file name that follows the backquotes.
 */
function resolveAutomakeIdiom(word: Word): void {
  const match = AUTOMAKE_IDIOM.exec(word.raw);
  if (!match || match[1] !== match[3]) return;
  word.value = match[3] as string;
  word.unexpanded = false;
}

/**
 * Splits a command line into simple commands with their connectors, redirections, environment prefixes and
 * subshell groups. Reserved words and control structures (`if`, `for`, `case`) are not interpreted; their
 * words land in ordinary commands, which the classifier does not recognise.
 */
export function splitCommandLine(text: string): CommandLine {
  const plain = splitPlainCommand(text);
  if (plain) return plain;
  const { tokens, incomplete } = tokenize(text);
  const commands: SimpleCommand[] = [];
  const groupStack: number[] = [0];
  let nextGroup = 1;
  let depth = 0;
  let unbalanced = false;
  let current: SimpleCommand | undefined;
  let connector: Connector = "";
  let closedGroup: number | undefined;

  const startCommand = (): SimpleCommand => {
    const command: SimpleCommand = {
      words: [],
      environment: {},
      redirections: [],
      connector,
      depth,
      scope: [...groupStack],
      unexpanded: false,
    };
    connector = "";
    commands.push(command);
    return command;
  };

  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t] as Token;
    if (token.type === "word") {
      const { word } = token;
      if (word.raw === "{" && !current) {
        groupStack.push(nextGroup++);
        continue;
      }
      if (word.raw === "}" && !current) {
        if (groupStack.length > 1) closedGroup = groupStack.pop();
        continue;
      }
      closedGroup = undefined;
      current ??= startCommand();
      if (current.words.length === 0 && word.raw.includes("=") && ASSIGNMENT.test(word.raw)) {
        const equals = word.value.indexOf("=");
        current.environment[word.value.slice(0, equals)] = word.value.slice(equals + 1);
        continue;
      }
      current.words.push(word.value);
      if (word.unexpanded) current.unexpanded = true;
      continue;
    }
    if (token.type === "redirect") {
      // A redirection right after `)` or `}` applies to every command of the group that just closed.
      if (!current && closedGroup !== undefined) {
        const target = tokens[t + 1];
        const redirection = {
          operator: token.operator,
          target: target?.type === "word" ? target.word.value : "",
        };
        if (target?.type === "word") t++;
        for (const command of commands)
          if (command.scope.includes(closedGroup)) command.redirections.push(redirection);
        continue;
      }
      current ??= startCommand();
      const target = tokens[t + 1];
      if (token.operator.endsWith("&") || /&[0-9-]+$/.test(token.operator)) {
        current.redirections.push({ operator: token.operator, target: "" });
      } else if (target?.type === "word") {
        current.redirections.push({ operator: token.operator, target: target.word.value });
        t++;
      } else {
        current.redirections.push({ operator: token.operator, target: "" });
      }
      continue;
    }
    const { operator } = token;
    if (operator === "(") {
      depth++;
      groupStack.push(nextGroup++);
      current = undefined;
      continue;
    }
    if (operator === ")") {
      if (depth === 0) unbalanced = true;
      else {
        depth--;
        closedGroup = groupStack.pop();
      }
      current = undefined;
      continue;
    }
    closedGroup = undefined;
    current = undefined;
    connector = operator === ";;" ? ";" : (operator as Connector);
  }
  const nonEmpty = commands.filter(
    (command) => command.words.length > 0 || Object.keys(command.environment).length > 0,
  );
  return { commands: nonEmpty, incomplete: incomplete || unbalanced || depth !== 0 };
}

/**
 * Splits a line of one simple command that has no quotes, escapes, expansions, operators or comments,
 * which is most compile and link lines, without building tokens. Returns undefined for any other line.
 * The result equals what the general path gives for such a line.
 */
function splitPlainCommand(text: string): CommandLine | undefined {
  if (NOT_PLAIN.test(text)) return undefined;
  const words: string[] = [];
  const environment: Record<string, string> = {};
  let hasEnvironment = false;
  for (const word of text.split(BLANKS)) {
    if (word === "") continue;
    // A brace group is tracked only by the general path, so such a line goes there.
    if (words.length === 0 && (word === "{" || word === "}")) return undefined;
    if (words.length === 0 && word.includes("=") && ASSIGNMENT.test(word)) {
      const equals = word.indexOf("=");
      environment[word.slice(0, equals)] = word.slice(equals + 1);
      hasEnvironment = true;
      continue;
    }
    words.push(word);
  }
  if (words.length === 0 && !hasEnvironment) return { commands: [], incomplete: false };
  const command: SimpleCommand = {
    words,
    environment,
    redirections: [],
    connector: "",
    depth: 0,
    scope: [0],
    unexpanded: false,
  };
  return { commands: [command], incomplete: false };
}

/** Quotes one word for a POSIX shell, leaving it bare when it needs no quoting. */
export function quoteShellWord(word: string): string {
  if (word !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
