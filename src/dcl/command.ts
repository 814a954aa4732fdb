/**
 * Layout of DCL commands as command procedure records.
 *
 * A command is laid out as a list of parts that must stay whole (a verb, a qualifier, a list element).
 * A continuation (` -` at the end of a record) is placed only between parts, where DCL accepts blanks:
 * before a qualifier, between parameters and after a comma or plus sign in a list. Quoted strings are
 * always inside one part, so a record never ends inside quotes. Continuation records start with blanks and
 * no `$`, as the procedures of curl and OpenSSL do; HP OpenVMS DCL Dictionary does not document a `$` on
 * a continuation record.
 */

import { byteLength, DEFAULT_LIMITS, findControlCharacter } from "./limits.js";
import { isSymbolName, quoteValue, stringLiteral } from "./quote.js";
import type {
  DclCommand,
  DclKeywordValue,
  DclLimits,
  DclParameter,
  DclParameterElement,
  DclQualifier,
  DclRaw,
  DclSymbolRef,
  DclValueElement,
  DclWord,
  RenderError,
  RenderOptions,
  RenderResult,
} from "./types.js";

/** Create a reference to a symbol that the procedure substitutes on purpose (`'NAME'`). */
export function symbol(name: string): DclSymbolRef {
  return { kind: "symbol", name };
}

/** Create raw text that the renderer writes unchanged. */
export function raw(text: string): DclRaw {
  return { kind: "raw", text };
}

/** A piece of a command that a continuation cannot split. */
interface Part {
  text: string;
  /** A continuation may be placed before this part. */
  breakBefore: boolean;
  /** A blank separates this part from the previous one when both share a record. */
  blankBefore: boolean;
  /** Length added to the command by symbol substitution in this part, beyond its written length. */
  expansion: number;
  /**
   * Byte length of `text`, measured by the builder of the part, so that wrapping need not measure the text
   * again. Measuring would make V8 copy a text built by concatenation into one flat string first. Every part
   * has it, so all parts share one V8 hidden class and the property reads of the layout code stay
   * monomorphic.
   */
  bytes: number;
}

class RenderFailure extends Error {
  constructor(readonly detail: RenderError) {
    super(detail.message);
  }
}

function fail(code: RenderError["code"], message: string, token?: string): never {
  throw new RenderFailure(token === undefined ? { code, message } : { code, message, token });
}

const NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const VERB = /^(@[A-Za-z0-9_$.:;[\]<>-]+|[A-Za-z_$][A-Za-z0-9_$]*)$/;
const LABEL = /^[A-Za-z_$][A-Za-z0-9_$]{0,254}$/;
// The characters that `findControlCharacter` reports, tab included.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters the pattern replaces.
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]/g;

/** Shared state of one rendering: limits and the symbol lengths for measuring substitution. */
interface Context {
  limits: DclLimits;
  symbolValues: Readonly<Record<string, string>>;
}

function checkName(kind: string, name: string): string {
  if (!NAME.test(name)) {
    fail("invalid-name", `invalid ${kind} name "${name}": use letters, digits, "_" and "$"`, name);
  }
  return name.toUpperCase();
}

/** Checks a token against the token limit and returns its length in bytes. */
function checkToken(text: string, context: Context): number {
  const length = byteLength(text);
  if (length > context.limits.maxToken) {
    fail(
      "token-too-long",
      `a token of ${length} bytes exceeds the DCL token limit of ${context.limits.maxToken} bytes`,
      text,
    );
  }
  return length;
}

/**
 * Render one word, measure how much symbol substitution can add to it, and give the byte length of the
 * rendered text.
 */
function renderWord(word: DclWord, context: Context): { text: string; expansion: number; bytes: number } {
  if (typeof word === "string") {
    const quoted = quoteValue(word);
    if ("unsafe" in quoted) {
      fail(
        "unsafe-value",
        `value ${JSON.stringify(word)} cannot be placed on a command line: ${quoted.unsafe}`,
        word,
      );
    }
    const bytes = checkToken(quoted.text, context);
    return { text: quoted.text, expansion: 0, bytes };
  }
  if (word.kind === "symbol") {
    if (!isSymbolName(word.name)) {
      fail("invalid-name", `invalid symbol name "${word.name}"`, word.name);
    }
    const name = word.name.toUpperCase();
    const value = context.symbolValues[name] ?? context.symbolValues[word.name] ?? "";
    // A valid symbol name is ASCII, so its byte length is its length.
    return {
      text: `'${name}'`,
      expansion: Math.max(0, byteLength(value) - name.length - 2),
      bytes: name.length + 2,
    };
  }
  const bytes = checkToken(word.text, context);
  return { text: word.text, expansion: 0, bytes };
}

function isKeyword(element: DclValueElement): element is DclKeywordValue {
  return typeof element === "object" && "keyword" in element;
}

function isList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}

/**
 * Lay out a value (single or list) after a prefix such as `/NAME=`. Returns parts where list elements after
 * the first may start a continuation record.
 */
function valueParts(
  prefix: string,
  value: DclValueElement | readonly DclValueElement[],
  suffix: string,
  context: Context,
): Part[] {
  if (!isList(value)) {
    return elementParts(prefix, value, suffix, context);
  }
  if (value.length === 0) {
    fail("unsafe-value", `the value list after "${prefix}" is empty`);
  }

  const parts: Part[] = [];
  value.forEach((element, index) => {
    const first = index === 0;
    const last = index === value.length - 1;
    const elementPrefix = first ? `${prefix}(` : "";
    const elementSuffix = last ? `)${suffix}` : ",";
    const rendered = elementParts(elementPrefix, element, elementSuffix, context);
    if (!first && rendered[0]) {
      rendered[0].breakBefore = true;
    }
    parts.push(...rendered);
  });
  return parts;
}

/**
 * Lay out one value element. Prefixes and suffixes are made of qualifier and keyword names, which
 * `checkName` limits to ASCII, and of ASCII punctuation, so their lengths are their byte lengths.
 */
function elementParts(prefix: string, element: DclValueElement, suffix: string, context: Context): Part[] {
  if (isKeyword(element)) {
    const keyword = checkName("keyword", element.keyword);
    if (element.value === undefined) {
      const text = `${prefix}${keyword}${suffix}`;
      return [{ text, breakBefore: false, blankBefore: false, expansion: 0, bytes: text.length }];
    }
    return valueParts(`${prefix}${keyword}=`, element.value, suffix, context);
  }
  const word = renderWord(element, context);
  return [
    {
      text: `${prefix}${word.text}${suffix}`,
      breakBefore: false,
      blankBefore: false,
      expansion: word.expansion,
      bytes: prefix.length + word.bytes + suffix.length,
    },
  ];
}

function qualifierParts(qualifier: DclQualifier, context: Context): Part[] {
  const name = checkName("qualifier", qualifier.name);
  if (qualifier.negated) {
    if (qualifier.value !== undefined) {
      fail("unsafe-value", `negated qualifier /NO${name} cannot take a value`);
    }
    return [
      { text: `/NO${name}`, breakBefore: true, blankBefore: false, expansion: 0, bytes: name.length + 3 },
    ];
  }
  if (qualifier.value === undefined) {
    return [
      { text: `/${name}`, breakBefore: true, blankBefore: false, expansion: 0, bytes: name.length + 1 },
    ];
  }
  const parts = valueParts(`/${name}=`, qualifier.value, "", context);
  if (parts[0]) parts[0].breakBefore = true;
  return parts;
}

/** Parts of list-valued qualifiers laid out before, with the limits and symbol values they were measured with. */
const listParts = new WeakMap<
  DclQualifier,
  { limits: DclLimits; symbolValues: Readonly<Record<string, string>>; parts: readonly Part[] }
>();

/**
 * Return the parts of a qualifier whose value is a list, laying it out only the first time the same qualifier
 * object is rendered with the same limits and symbol values. A translator gives every compile of a directory
 * the same `/DEFINE` and `/INCLUDE_DIRECTORY` objects, whose dozens of elements would otherwise be quoted and
 * measured again for each compile. Parts are never changed after `qualifierParts` returns them. Returns
 * undefined for other qualifiers, which are cheap to lay out and often made for one command only.
 */
function listQualifierParts(qualifier: DclQualifier, context: Context): readonly Part[] | undefined {
  if (!Array.isArray(qualifier.value) || qualifier.negated) return undefined;
  const cached = listParts.get(qualifier);
  if (
    cached !== undefined &&
    cached.limits === context.limits &&
    cached.symbolValues === context.symbolValues
  )
    return cached.parts;
  const parts = qualifierParts(qualifier, context);
  listParts.set(qualifier, { limits: context.limits, symbolValues: context.symbolValues, parts });
  return parts;
}

function isParameterElement(element: DclWord | DclParameterElement): element is DclParameterElement {
  return typeof element === "object" && "value" in element;
}

function isParameter(parameter: DclWord | DclParameter): parameter is DclParameter {
  return typeof parameter === "object" && "elements" in parameter;
}

function parameterParts(parameter: DclWord | DclParameter, context: Context): Part[] {
  const elements = isParameter(parameter) ? parameter.elements : [parameter];
  const separator = isParameter(parameter) ? (parameter.separator ?? ",") : ",";
  if (elements.length === 0) {
    fail("unsafe-value", "a parameter has no elements; use an empty string for a null parameter");
  }

  const parts: Part[] = [];
  elements.forEach((element, index) => {
    const word = renderWord(isParameterElement(element) ? element.value : element, context);
    // Positional qualifiers stay on the record of their element, because a blank before them could make
    // DCL apply them to the whole command.
    let text = word.text;
    let expansion = word.expansion;
    let bytes = word.bytes;
    const qualifiers = isParameterElement(element) ? (element.qualifiers ?? []) : [];
    for (const qualifier of qualifiers) {
      for (const part of qualifierParts(qualifier, context)) {
        text += part.text;
        expansion += part.expansion;
        bytes += part.bytes;
      }
    }
    if (index < elements.length - 1) {
      text += separator;
      bytes += byteLength(separator);
    }
    parts.push({ text, breakBefore: true, blankBefore: index === 0, expansion, bytes });
  });
  return parts;
}

function checkVerb(verb: string): void {
  if (!VERB.test(verb)) {
    fail("invalid-name", `invalid verb "${verb}": use a command name or "@" and a file specification`);
  }
}

function verbPart(verb: string): Part {
  // `checkVerb` admits ASCII only, so the length is the byte length.
  return {
    text: verb.toUpperCase(),
    breakBefore: false,
    blankBefore: false,
    expansion: 0,
    bytes: verb.length,
  };
}

/** Lay out the verb, qualifiers and parameters of a command. */
function commandParts(command: DclCommand, context: Context): Part[] {
  checkVerb(command.verb);
  const parts: Part[] = [verbPart(command.verb)];
  for (const qualifier of command.qualifiers ?? []) {
    for (const part of qualifierPartsOf(qualifier, context)) parts.push(part);
  }
  for (const parameter of command.parameters ?? []) {
    for (const part of parameterParts(parameter, context)) parts.push(part);
  }
  return parts;
}

/**
 * Records being laid out, part by part. Wrapping is greedy from left to right, so the state after some parts
 * depends only on those parts, the first prefix, the width and the indent, and a copy of it can be continued.
 */
interface Layout {
  readonly width: number;
  readonly indent: string;
  readonly indentLength: number;
  records: string[];
  recordLengths: number[];
  record: string;
  /** Kept alongside `record`, so that no record is measured again each time a part is added. */
  recordLength: number;
  recordHasPart: boolean;
  commandLength: number;
}

function startLayout(firstPrefix: string, options: RenderOptions, context: Context): Layout {
  const indent = options.continuationIndent ?? "    ";
  return {
    width: Math.min(options.width ?? 80, context.limits.maxRecord),
    indent,
    indentLength: byteLength(indent),
    records: [],
    recordLengths: [],
    record: firstPrefix,
    recordLength: byteLength(firstPrefix),
    recordHasPart: false,
    commandLength: 0,
  };
}

/** Copy a layout as an object literal in the field order of `startLayout`, which keeps its hidden class. */
function copyLayout(layout: Layout): Layout {
  return {
    width: layout.width,
    indent: layout.indent,
    indentLength: layout.indentLength,
    records: layout.records.slice(),
    recordLengths: layout.recordLengths.slice(),
    record: layout.record,
    recordLength: layout.recordLength,
    recordHasPart: layout.recordHasPart,
    commandLength: layout.commandLength,
  };
}

function addPart(layout: Layout, part: Part): void {
  const blank = part.blankBefore && layout.recordHasPart;
  const partLength = part.bytes;
  const joinedLength = partLength + (blank ? 1 : 0);
  const tooWide = layout.recordLength + joinedLength + 2 > layout.width;
  if (tooWide && part.breakBefore && layout.recordHasPart) {
    layout.records.push(`${layout.record} -`);
    layout.recordLengths.push(layout.recordLength + 2);
    layout.record = layout.indent + part.text;
    layout.recordLength = layout.indentLength + partLength;
    layout.commandLength += layout.indentLength + partLength + 1;
  } else {
    layout.record += blank ? ` ${part.text}` : part.text;
    layout.recordLength += joinedLength;
    layout.commandLength += joinedLength;
  }
  layout.commandLength += part.expansion;
  layout.recordHasPart = true;
}

/**
 * Close the last record, check the record and command limits, and return the records. The layout gives up
 * its `records` array to the result, so a layout kept for later commands must be copied before.
 */
function finishLayout(layout: Layout, context: Context): string[] {
  const records = layout.records;
  const recordLengths = layout.recordLengths;
  records.push(layout.record);
  recordLengths.push(layout.recordLength);
  const maxRecord = context.limits.maxRecord;
  for (let index = 0; index < records.length; index++) {
    const length = recordLengths[index] as number;
    if (length > maxRecord) {
      const line = records[index] as string;
      fail(
        "record-too-long",
        `record ${index + 1} of the command is ${length} bytes, over the record limit of ${context.limits.maxRecord}`,
        line,
      );
    }
  }
  if (layout.commandLength > context.limits.maxCommand) {
    fail(
      "command-too-long",
      `the command is ${layout.commandLength} bytes after substitution, over the limit of ${context.limits.maxCommand} bytes; ` +
        "move definitions to a /FIRST_INCLUDE header or inputs to an options file",
    );
  }
  if (layout.record.trimEnd().endsWith("-")) {
    fail("unsafe-value", "the command ends with a hyphen, which DCL would read as a continuation");
  }
  return records;
}

/** Wrap parts into records that start with `firstPrefix` and continue with ` -`. */
function wrapParts(
  parts: readonly Part[],
  firstPrefix: string,
  options: RenderOptions,
  context: Context,
): string[] {
  const layout = startLayout(firstPrefix, options, context);
  for (const part of parts) addPart(layout, part);
  return finishLayout(layout, context);
}

/** A layout of a verb and its leading qualifiers, to continue for other commands that start the same way. */
interface PrefixLayout {
  verb: string;
  qualifiers: readonly DclQualifier[];
  options: RenderOptions;
  limits: DclLimits;
  symbolValues: Readonly<Record<string, string>>;
  layout: Layout;
}

/** Prefix layouts by the last list-valued qualifier of their prefix. */
const prefixLayouts = new WeakMap<DclQualifier, PrefixLayout[]>();

/** Prefix layouts kept per qualifier object. The compiles that share one usually differ only in their verb. */
const PREFIX_LAYOUTS_PER_QUALIFIER = 4;

/**
 * Number of leading qualifiers of a command, up to and including its last list-valued qualifier whose parts
 * were laid out before. Commands that share those qualifier objects (the compiles of one directory) also
 * share the records they start with, so that prefix is worth keeping; 0 when there is none.
 */
function sharedPrefixLength(qualifiers: readonly DclQualifier[], context: Context): number {
  let length = 0;
  for (let index = 0; index < qualifiers.length; index++) {
    const qualifier = qualifiers[index] as DclQualifier;
    if (!Array.isArray(qualifier.value)) continue;
    const cached = listParts.get(qualifier);
    if (
      cached !== undefined &&
      cached.limits === context.limits &&
      cached.symbolValues === context.symbolValues
    )
      length = index + 1;
  }
  return length;
}

function findPrefixLayout(
  command: DclCommand,
  qualifiers: readonly DclQualifier[],
  length: number,
  options: RenderOptions,
  context: Context,
): PrefixLayout | undefined {
  const candidates = prefixLayouts.get(qualifiers[length - 1] as DclQualifier);
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) {
    if (
      candidate.verb !== command.verb ||
      candidate.qualifiers.length !== length ||
      candidate.limits !== context.limits ||
      candidate.symbolValues !== context.symbolValues ||
      candidate.options.width !== options.width ||
      candidate.options.continuationIndent !== options.continuationIndent
    )
      continue;
    let same = true;
    for (let index = 0; index < length && same; index++)
      same = candidate.qualifiers[index] === qualifiers[index];
    if (same) return candidate;
  }
  return undefined;
}

function qualifierPartsOf(qualifier: DclQualifier, context: Context): readonly Part[] {
  return listQualifierParts(qualifier, context) ?? qualifierParts(qualifier, context);
}

/**
 * Lay out a command as `$ VERB/QUALIFIERS PARAMETERS`. When an earlier command had the same verb and the
 * same leading qualifier objects, its layout of them is continued instead of laying them out again.
 */
function layOutCommand(command: DclCommand, options: RenderOptions, context: Context): string[] {
  checkVerb(command.verb);
  const qualifiers = command.qualifiers ?? [];
  const prefixLength = sharedPrefixLength(qualifiers, context);
  const found =
    prefixLength > 0 ? findPrefixLayout(command, qualifiers, prefixLength, options, context) : undefined;
  let layout: Layout;
  if (found !== undefined) {
    layout = copyLayout(found.layout);
  } else {
    layout = startLayout("$ ", options, context);
    addPart(layout, verbPart(command.verb));
    for (let index = 0; index < prefixLength; index++) {
      for (const part of qualifierPartsOf(qualifiers[index] as DclQualifier, context)) addPart(layout, part);
    }
    if (prefixLength > 0) {
      const key = qualifiers[prefixLength - 1] as DclQualifier;
      const entries = prefixLayouts.get(key) ?? [];
      entries.unshift({
        verb: command.verb,
        qualifiers: qualifiers.slice(0, prefixLength),
        options: { ...options },
        limits: context.limits,
        symbolValues: context.symbolValues,
        layout: copyLayout(layout),
      });
      if (entries.length > PREFIX_LAYOUTS_PER_QUALIFIER) entries.pop();
      prefixLayouts.set(key, entries);
    }
  }
  for (let index = prefixLength; index < qualifiers.length; index++) {
    for (const part of qualifierPartsOf(qualifiers[index] as DclQualifier, context)) addPart(layout, part);
  }
  for (const parameter of command.parameters ?? []) {
    for (const part of parameterParts(parameter, context)) addPart(layout, part);
  }
  return finishLayout(layout, context);
}

function contextOf(options: RenderOptions): Context {
  return { limits: options.limits ?? DEFAULT_LIMITS, symbolValues: options.symbolValues ?? {} };
}

/** Run a layout step and turn a failure into a `RenderResult` error. */
function attempt(render: () => string[]): RenderResult {
  try {
    return { lines: render() };
  } catch (error) {
    if (error instanceof RenderFailure) return { error: error.detail };
    throw error;
  }
}

/** Render the records before a command: its comment and its label. */
function prologue(command: DclCommand, options: RenderOptions): string[] {
  const lines: string[] = [];
  if (command.comment !== undefined) lines.push(...renderComment(command.comment, options));
  if (command.label !== undefined) lines.push(labelRecord(command.label));
  return lines;
}

/**
 * Render a command as procedure records: `$ VERB/QUAL=value param`, wrapped with ` -` continuations at
 * `options.width`. Literal strings are quoted when needed. A value that cannot be placed on a command line,
 * a token over the token limit and a command over the command limit are returned as errors.
 */
export function renderCommand(command: DclCommand, options: RenderOptions = {}): RenderResult {
  return attempt(() => {
    const context = contextOf(options);
    const lines = prologue(command, options);
    const records = layOutCommand(command, options, context);
    if (lines.length === 0) return records;
    for (const record of records) lines.push(record);
    return lines;
  });
}

/**
 * Sanitize one line of comment text. DCL performs apostrophe substitution on comment records too: Perl's
 * VMS pipe helper writes `$! 'f$verify(0)'` to turn verification off from inside a comment. So apostrophes
 * become grave accents, control characters become blanks, and a trailing hyphen gets a period after it so
 * that the record cannot read as a continuation.
 */
function sanitizeComment(text: string): string {
  let clean = text.includes("'") ? text.replaceAll("'", "`") : text;
  if (findControlCharacter(clean) >= 0) clean = clean.replace(CONTROL_CHARACTERS, " ");
  clean = clean.trimEnd();
  if (clean.endsWith("-")) clean += ".";
  return clean;
}

/**
 * Split text into lines of at most `width` bytes at blanks; a longer word gets its own line. Runs of blanks
 * become one blank. A line whose words are one blank apart in `text` is taken from it as one slice, which
 * saves building the line word by word for the usual singly spaced text.
 */
function wrapWords(text: string, width: number, longestWord: number): string[] {
  // For ASCII text, which most logs are, a word's byte length is its length and needs no measuring.
  const ascii = byteLength(text) === text.length;
  const lines: string[] = [];
  let lineStart = -1;
  let lineEnd = -1;
  let lineLength = 0;
  let singlySpaced = true;
  const flush = () => {
    if (lineStart < 0) return;
    const line = text.slice(lineStart, lineEnd);
    lines.push(singlySpaced ? line : line.split(/ +/).join(" "));
  };

  let index = 0;
  while (index < text.length) {
    while (text.charCodeAt(index) === 32) index++;
    if (index >= text.length) break;
    let end = text.indexOf(" ", index);
    if (end < 0) end = text.length;
    const wordLength = ascii ? end - index : byteLength(text.slice(index, end));
    if (wordLength > longestWord) {
      // A word longer than a record (a path of thousands of characters) is cut into pieces of its own,
      // because a comment record is bound by the same record length as any other. A word that is only
      // longer than the wrap width stays whole on a line of its own, where it is easier to read.
      flush();
      lineStart = -1;
      const step = ascii ? longestWord : Math.max(1, Math.floor(longestWord / 4));
      for (let from = index; from < end; from += step)
        lines.push(text.slice(from, Math.min(end, from + step)));
      index = end;
      continue;
    }
    if (lineStart >= 0 && lineLength + 1 + wordLength <= width) {
      if (index !== lineEnd + 1) singlySpaced = false;
      lineLength += 1 + wordLength;
    } else {
      flush();
      lineStart = index;
      lineLength = wordLength;
      singlySpaced = true;
    }
    lineEnd = end;
    index = end;
  }
  flush();
  if (lines.length === 0) lines.push("");
  return lines;
}

/**
 * Render comment text as `$! text` records, one or more per input line, wrapped at `options.width`.
 * Apostrophes in the text are replaced by grave accents because DCL substitutes symbols in comments.
 */
export function renderComment(text: string, options: RenderOptions = {}): string[] {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const width = Math.max(20, Math.min(options.width ?? 80, limits.maxRecord) - 3);
  const records: string[] = [];
  const lines = text.includes("\n") ? text.split(/\r?\n/) : [text];
  for (const line of lines) {
    const text = line.includes("\t") ? line.replaceAll("\t", " ") : line;
    for (const piece of wrapWords(text, width, limits.maxRecord - 3)) {
      const clean = sanitizeComment(piece);
      records.push(clean.length > 0 ? `$! ${clean}` : "$!");
    }
  }
  return records;
}

function labelRecord(name: string): string {
  if (!LABEL.test(name)) {
    throw new RenderFailure({
      code: "invalid-name",
      message: `invalid label "${name}": use 1 to 255 letters, digits, "_" or "$", not starting with a digit`,
      token: name,
    });
  }
  return `$ ${name.toUpperCase()}:`;
}

/** Render a label record (`$ NAME:`) for GOTO and GOSUB. */
export function renderLabel(name: string): RenderResult {
  return attempt(() => [labelRecord(name)]);
}

export interface AssignmentOptions extends RenderOptions {
  /** Global symbol (`==`), visible to called procedures. Default false (local, `=`). */
  global?: boolean;
}

/**
 * Render a symbol assignment. A string value becomes a quoted string literal, `$ NAME = "value"`, so case
 * and blanks are kept. Raw text is written as the expression, for example `F$SEARCH("X.OBJ")`.
 */
export function renderAssignment(
  name: string,
  value: string | DclRaw,
  options: AssignmentOptions = {},
): RenderResult {
  return attempt(() => {
    const context = contextOf(options);
    if (!isSymbolName(name)) {
      fail("invalid-name", `invalid symbol name "${name}": use 1 to 255 letters, digits, "_" or "$"`, name);
    }
    let expression: string;
    if (typeof value === "string") {
      const literal = stringLiteral(value);
      if ("unsafe" in literal) {
        fail(
          "unsafe-value",
          `value ${JSON.stringify(value)} cannot be assigned in DCL: ${literal.unsafe}`,
          value,
        );
      }
      expression = literal.text;
    } else {
      expression = value.text;
    }
    checkToken(expression, context);
    const operator = options.global ? "==" : "=";
    const part: Part = {
      text: expression,
      breakBefore: false,
      blankBefore: false,
      expansion: 0,
      bytes: byteLength(expression),
    };
    return wrapParts([part], `$ ${name.toUpperCase()} ${operator} `, options, context);
  });
}

/**
 * Render a foreign command definition, `$ NAME :== $DEV:[DIR]IMAGE.EXE`. The image specification should
 * name the device and directory, because DCL defaults them to SYS$SYSTEM. A specification that needs quotes
 * is written as `$ NAME == "$spec"`, which assigns the same string.
 */
export function renderForeignCommand(
  name: string,
  image: string,
  options: AssignmentOptions = {},
): RenderResult {
  const bare = quoteValue(image);
  if (!("unsafe" in bare) && !bare.quoted) {
    return attempt(() => {
      const context = contextOf(options);
      if (!isSymbolName(name)) fail("invalid-name", `invalid symbol name "${name}"`, name);
      checkToken(`$${image}`, context);
      const operator = options.global === false ? ":=" : ":==";
      const part: Part = {
        text: `$${image}`,
        breakBefore: false,
        blankBefore: false,
        expansion: 0,
        bytes: byteLength(image) + 1,
      };
      return wrapParts([part], `$ ${name.toUpperCase()} ${operator} `, options, context);
    });
  }
  return renderAssignment(name, `$${image}`, { ...options, global: options.global ?? true });
}

/** Lay out an embedded command (after THEN, in PIPE) as parts, without its comment and label. */
function embeddedParts(command: DclCommand, context: Context): Part[] {
  if (command.label !== undefined || command.comment !== undefined) {
    fail(
      "unsafe-value",
      `a command after THEN or inside PIPE cannot carry a label or comment (${command.verb})`,
    );
  }
  const parts = commandParts(command, context);
  if (parts[0]) {
    parts[0].blankBefore = true;
    parts[0].breakBefore = true;
  }
  return parts;
}

/**
 * Render `$ IF condition THEN command`. The condition is a DCL expression written as given, so build its
 * string literals with `stringLiteral`.
 */
export function renderIf(
  condition: string | DclRaw,
  then: DclCommand,
  options: RenderOptions = {},
): RenderResult {
  return attempt(() => {
    const context = contextOf(options);
    const text = typeof condition === "string" ? condition : condition.text;
    if (text.trim().length === 0) fail("unsafe-value", "the IF condition is empty");
    const parts: Part[] = [
      { text: "IF", breakBefore: false, blankBefore: false, expansion: 0, bytes: 2 },
      { text, breakBefore: false, blankBefore: true, expansion: 0, bytes: byteLength(text) },
      { text: "THEN", breakBefore: true, blankBefore: true, expansion: 0, bytes: 4 },
      ...embeddedParts(then, context),
    ];
    return wrapParts(parts, "$ ", options, context);
  });
}

export type OnCondition = "WARNING" | "ERROR" | "SEVERE_ERROR" | "CONTROL_Y";

/** Render `$ ON condition THEN command`, for example `$ ON ERROR THEN GOTO FAIL`. */
export function renderOn(
  condition: OnCondition,
  action: DclCommand,
  options: RenderOptions = {},
): RenderResult {
  return attempt(() => {
    const context = contextOf(options);
    const parts: Part[] = [
      {
        text: `ON ${condition}`,
        breakBefore: false,
        blankBefore: false,
        expansion: 0,
        bytes: condition.length + 3,
      },
      { text: "THEN", breakBefore: false, blankBefore: true, expansion: 0, bytes: 4 },
      ...embeddedParts(action, context),
    ];
    return wrapParts(parts, "$ ", options, context);
  });
}

/** Render `$ EXIT` with an optional status, for example `%X10000002` or a symbol name. */
export function renderExit(status?: number | string): string[] {
  if (status === undefined) return ["$ EXIT"];
  const text = String(status);
  if (!/^(%X[0-9A-F]+|-?[0-9]+|[A-Za-z_$][A-Za-z0-9_$]*)$/i.test(text)) {
    throw new RangeError(
      `invalid EXIT status "${text}": use a number, %X followed by hex digits, or a symbol`,
    );
  }
  return [`$ EXIT ${text.toUpperCase()}`];
}

export interface CreateOptions extends RenderOptions {
  qualifiers?: readonly DclQualifier[];
}

/** Choose the end-of-data string for DECK /DOLLARS that no data record starts with. */
function deckTerminator(data: readonly string[]): string {
  for (let suffix = 0; ; suffix++) {
    const candidate = suffix === 0 ? "$END_OF_DATA" : `$END_OF_DATA${suffix}`;
    if (!data.some((line) => line.toUpperCase().startsWith(candidate))) return candidate;
  }
}

/**
 * Render `$ CREATE file` followed by data records. HP OpenVMS DCL Dictionary (DECK) states that a data record
 * whose first non-blank character is `$` ends the data unless it follows `$ DECK`, and that `$ EOD` ends a
 * deck unless `/DOLLARS` names another end-of-data string. This renderer adds `$ DECK` when a record needs
 * it and `/DOLLARS` when a record starts with `$EOD`. DCL does not substitute symbols in data records.
 */
export function renderCreate(
  file: DclWord,
  data: readonly string[],
  options: CreateOptions = {},
): RenderResult {
  return attempt(() => {
    const context = contextOf(options);
    for (const line of data) {
      if (findControlCharacter(line, true) >= 0) {
        fail("unsafe-value", `data record ${JSON.stringify(line)} contains a control character`, line);
      }
    }
    const command: DclCommand = { verb: "CREATE", parameters: [file] };
    if (options.qualifiers) command.qualifiers = options.qualifiers;
    const records = wrapParts(commandParts(command, context), "$ ", options, context);

    const needsDeck = data.some((line) => line.trimStart().startsWith("$"));
    if (!needsDeck) return [...records, ...data];

    const upper = data.map((line) => line.toUpperCase());
    if (upper.some((line) => line.startsWith("$EOD"))) {
      const terminator = deckTerminator(data);
      return [...records, `$ DECK/DOLLARS="${terminator}"`, ...data, terminator];
    }
    return [...records, "$ DECK", ...data, "$ EOD"];
  });
}

/** One command of a PIPE, with the separator that follows it. */
export interface PipeSegment {
  command: DclCommand;
  /** Separator before the next segment; default `|`. Ignored on the last segment. */
  separator?: "|" | ";" | "&&" | "||";
}

/**
 * Render `$ PIPE cmd1 | cmd2 > file`. HELP PIPE states that a `;` needs blanks around it or RMS reads it as a
 * version delimiter, so every separator gets blanks. The output file is created before the commands run,
 * so it must not also be an input of the pipeline.
 */
export function renderPipe(
  segments: readonly PipeSegment[],
  redirect: { output?: DclWord; error?: DclWord; input?: DclWord } = {},
  options: RenderOptions = {},
): RenderResult {
  return attempt(() => {
    const context = contextOf(options);
    if (segments.length === 0) fail("unsafe-value", "a PIPE needs at least one command");
    const parts: Part[] = [{ text: "PIPE", breakBefore: false, blankBefore: false, expansion: 0, bytes: 4 }];
    segments.forEach((segment, index) => {
      parts.push(...embeddedParts(segment.command, context));
      if (index < segments.length - 1) {
        const separator = segment.separator ?? "|";
        parts.push({
          text: separator,
          breakBefore: true,
          blankBefore: true,
          expansion: 0,
          bytes: byteLength(separator),
        });
      }
    });
    const redirections: [string, DclWord | undefined][] = [
      ["<", redirect.input],
      [">", redirect.output],
      ["2>", redirect.error],
    ];
    for (const [operator, target] of redirections) {
      if (target === undefined) continue;
      const word = renderWord(target, context);
      parts.push({
        text: `${operator} ${word.text}`,
        breakBefore: true,
        blankBefore: true,
        expansion: word.expansion,
        bytes: operator.length + 1 + word.bytes,
      });
    }
    return wrapParts(parts, "$ ", options, context);
  });
}

/**
 * Lay out a command for an MMS action line: no `$`, first record indented by `indent`. Used by the MMS
 * renderer, which shares the DCL rules because MMS hands action lines to DCL.
 */
export function renderActionRecords(
  command: DclCommand,
  indent: string,
  prefix: string,
  options: RenderOptions = {},
): RenderResult {
  return attempt(() => {
    const context = contextOf(options);
    if (command.label !== undefined) fail("unsafe-value", "an MMS action cannot carry a label");
    return wrapParts(commandParts(command, context), indent + prefix, options, context);
  });
}
