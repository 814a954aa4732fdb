/**
 * Parsing of one DCL command into verb, qualifiers and parameters, with values unquoted and unquoted text
 * upper-cased, as DCL would pass them to the command.
 */

import { scanCommand, splitProcedure } from "./tokenize.js";
import type {
  DclToken,
  MacroDefinition,
  ParsedDclCommand,
  ParsedParameter,
  ParsedParameterElement,
  ParsedQualifier,
  ParsedValue,
} from "./types.js";

/**
 * Qualifier names that start with `NO` without being negations. DCL itself decides from the command
 * definition, which this parser does not have.
 */
const NOT_NEGATED = new Set(["NODE", "NOTE", "NOTIFY", "NONE", "NOTRUNCATE_WARNING"]);

/** A cursor over tokens. */
class Tokens {
  private index = 0;
  constructor(private readonly tokens: readonly DclToken[]) {}

  peek(): DclToken | undefined {
    return this.tokens[this.index];
  }

  next(): DclToken | undefined {
    const token = this.tokens[this.index];
    this.index++;
    return token;
  }

  skipBlanks(): void {
    while (this.peek()?.kind === "blank") this.index++;
  }

  /** Return the next token after any blanks without moving the cursor. */
  peekPastBlanks(): DclToken | undefined {
    let index = this.index;
    while (this.tokens[index]?.kind === "blank") index++;
    return this.tokens[index];
  }
}

/** Text of a token as a value piece: delimiters as written, words unquoted. */
function pieceText(token: DclToken): string {
  return token.kind === "word" ? token.text : token.text;
}

/**
 * Read one value element: tokens up to a `,` or `)` at depth 0, or up to a blank, `/` or `+` at depth 0
 * when the element is not inside a list.
 */
function readElement(tokens: Tokens, inList: boolean): ParsedValue {
  let text = "";
  let quoted = false;
  let depth = 0;
  for (;;) {
    const token = tokens.peek();
    if (token === undefined) break;
    if (depth === 0) {
      if (token.kind === "comma" || token.kind === "close") break;
      if (!inList && (token.kind === "blank" || token.kind === "slash" || token.kind === "plus")) break;
    }
    tokens.next();
    if (token.kind === "blank") continue;
    if (token.kind === "open") depth++;
    if (token.kind === "close") depth--;
    if (token.kind === "comma") {
      text += ",";
      continue;
    }
    quoted ||= token.quoted;
    text += pieceText(token);
  }
  return { text, quoted };
}

/** Read the value of a qualifier after its `=`: one element or a parenthesized list. */
function readValues(tokens: Tokens): ParsedValue[] {
  if (tokens.peek()?.kind !== "open") return [readElement(tokens, false)];

  tokens.next();
  const values: ParsedValue[] = [];
  for (;;) {
    tokens.skipBlanks();
    values.push(readElement(tokens, true));
    tokens.skipBlanks();
    const token = tokens.next();
    if (token === undefined || token.kind === "close") break;
  }
  return values;
}

function readQualifier(tokens: Tokens): ParsedQualifier {
  tokens.next();
  const nameToken = tokens.peek();
  const written = nameToken?.kind === "word" ? nameToken.text : "";
  if (nameToken?.kind === "word") tokens.next();

  let values: ParsedValue[] = [];
  if (tokens.peek()?.kind === "equals") {
    tokens.next();
    values = readValues(tokens);
  }
  const negated =
    values.length === 0 && written.startsWith("NO") && written.length > 2 && !NOT_NEGATED.has(written);
  return { name: negated ? written.slice(2) : written, negated, values, written };
}

/** Read positional qualifiers written directly after an element. */
function readPositionalQualifiers(tokens: Tokens): ParsedQualifier[] {
  const qualifiers: ParsedQualifier[] = [];
  while (tokens.peek()?.kind === "slash") qualifiers.push(readQualifier(tokens));
  return qualifiers;
}

function readParameter(tokens: Tokens): ParsedParameter {
  const elements: ParsedParameterElement[] = [];
  let separator: ParsedParameter["separator"];
  for (;;) {
    const value = readElement(tokens, false);
    elements.push({ value, qualifiers: readPositionalQualifiers(tokens) });

    // Blanks are allowed around list separators, so look past them.
    const mark = tokens.peekPastBlanks();
    if (mark?.kind === "comma" || mark?.kind === "plus") {
      separator ??= mark.kind === "comma" ? "," : "+";
      tokens.skipBlanks();
      tokens.next();
      tokens.skipBlanks();
      continue;
    }
    break;
  }
  return { elements, separator };
}

/** Strip the `$`, label and continuation records from command text, leaving one line. */
function commandBody(text: string): { body: string; label: string | undefined } {
  const source = text.trimStart().startsWith("$") ? text : `$${text}`;
  const split = splitProcedure(source);
  const first = split.items.find((item) => item.kind === "command");
  if (first === undefined || first.kind !== "command") return { body: "", label: undefined };
  return { body: first.command.text, label: first.command.label };
}

/**
 * Parse one DCL command, with or without the leading `$`, continuation records allowed, into its verb,
 * qualifiers and parameters. Values are unquoted: doubled quotes are undoubled and unquoted text is
 * upper-cased, as DCL does. Symbol references are kept as written (`'NAME'`), not substituted. A qualifier
 * separated from the preceding parameter by a blank counts as a command qualifier.
 */
export function parseCommand(text: string): ParsedDclCommand {
  const { body, label } = commandBody(text);
  const tokens = new Tokens(scanCommand(body).tokens);
  tokens.skipBlanks();

  const verbToken = tokens.peek();
  let verb = "";
  if (verbToken?.kind === "word") {
    verb = verbToken.text;
    tokens.next();
  }

  const qualifiers: ParsedQualifier[] = [];
  const parameters: ParsedParameter[] = [];
  for (;;) {
    tokens.skipBlanks();
    const token = tokens.peek();
    if (token === undefined) break;
    if (token.kind === "slash") {
      qualifiers.push(readQualifier(tokens));
      continue;
    }
    if (token.kind === "close" || token.kind === "comma" || token.kind === "plus") {
      // A stray delimiter: keep it as a parameter so that nothing is silently dropped.
      tokens.next();
      parameters.push({
        elements: [{ value: { text: token.text, quoted: false }, qualifiers: [] }],
        separator: undefined,
      });
      continue;
    }
    parameters.push(readParameter(tokens));
  }

  return { label, verb, qualifiers, parameters };
}

/** Split a `/DEFINE` element text (`NAME` or `NAME=value`) back into a macro definition. */
export function parseDefineElement(text: string): MacroDefinition {
  // The name of a function-like macro contains parentheses but never `=`, so the first `=` ends the name.
  const equals = text.indexOf("=");
  if (equals < 0) return { name: text };
  return { name: text.slice(0, equals), value: text.slice(equals + 1) };
}
