/**
 * Quoting of values for DCL command lines and C macro definitions for CC and CXX.
 *
 * Substitution rules (OpenVMS HELP "Symbol_Substitution" and "Ext_File_Specs ... Ampersand versus
 * apostrophe substitution"): outside quotes, every apostrophe starts a `'NAME'` substitution and an
 * ampersand starts `&NAME`. Inside a quoted string a single apostrophe is an ordinary character, and only
 * two adjacent apostrophes (`''NAME'`) request substitution. So a literal value is safe on a command line
 * when it is quoted and contains no `''`. A value with `''` cannot be written on a command line at all:
 * doubling does not escape apostrophes, and the caller must move it to a file (a `/FIRST_INCLUDE` header
 * for macro definitions).
 */

import { findControlCharacter } from "./limits.js";
import type { DclRaw, DefineListResult, IncludeListResult, MacroDefinition, UnsafeValue } from "./types.js";

/** A quoted or bare value ready for a command line, or the reason it cannot be placed on one. */
export type QuoteResult = { text: string; quoted: boolean } | { unsafe: string };

export interface QuoteOptions {
  /**
   * Accept lower-case letters without quotes, so DCL upper-cases them. Use it for file specifications on
   * ODS-2 disks, where case carries no meaning. Default false, which keeps the case by quoting.
   */
  foldCase?: boolean;
}

/**
 * Characters that DCL passes through unchanged outside quotes in a qualifier value or parameter element:
 * upper-case letters, digits and the punctuation of file specifications (`$ . : ; [ ] * % _ -`).
 * Blanks, `, / ( ) = + ! ' " & @ # ^ ? < >`, lower case and non-ASCII all need quotes.
 */
const BARE_VALUE = /^[A-Z0-9_$.:;[\]*%-]+$/;
const BARE_VALUE_FOLDED = /^[A-Za-z0-9_$.:;[\]*%-]+$/;

/** Return why `value` cannot be written inside a quoted DCL string, or undefined when it can. */
export function unsafeReason(value: string): string | undefined {
  if (value.includes("''")) {
    return "contains two adjacent apostrophes (''), which DCL reads as symbol substitution even inside quotes";
  }
  const control = findControlCharacter(value);
  if (control >= 0) {
    const code = value.charCodeAt(control).toString(16).padStart(2, "0");
    return `contains the control character U+00${code.toUpperCase()}, which cannot be written in a DCL record`;
  }
  return undefined;
}

/** Enclose text in quotes with inner quotes doubled; the caller has checked `unsafeReason`. */
function enclose(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/**
 * Quote a qualifier value or parameter element only when DCL would otherwise change or split it.
 * A trailing hyphen is quoted too, because at the end of a record it would continue the command.
 *
 * NOTE: non-ASCII text is quoted and written as UTF-8 bytes. DCL passes the bytes through inside quotes,
 * but tools that expect DEC MCS or ISO Latin-1 will show other characters.
 */
export function quoteValue(value: string, options: QuoteOptions = {}): QuoteResult {
  const unsafe = unsafeReason(value);
  if (unsafe !== undefined) return { unsafe };

  const bare = options.foldCase ? BARE_VALUE_FOLDED : BARE_VALUE;
  // A leading `$` is quoted as well: wrapped onto a continuation record, a bare `$NAME` would start that
  // record with `$`, which DCL reads as the start of a new command.
  if (bare.test(value) && !value.endsWith("-") && !value.startsWith("$"))
    return { text: value, quoted: false };
  return { text: enclose(value), quoted: true };
}

/**
 * Render a DCL string literal for an expression (`IF`, `=` assignment, lexical function arguments).
 * It is always quoted, so case and blanks are kept.
 */
export function stringLiteral(value: string): QuoteResult {
  const unsafe = unsafeReason(value);
  if (unsafe !== undefined) return { unsafe };
  return { text: enclose(value), quoted: true };
}

/** A C macro name, optionally function-like with a parameter list (`funct(a,b)`, `log(...)`). */
const MACRO_NAME =
  /^[A-Za-z_$][A-Za-z0-9_$]*(\((\s*([A-Za-z_$][A-Za-z0-9_$]*|\.\.\.)\s*(,\s*([A-Za-z_$][A-Za-z0-9_$]*|\.\.\.)\s*)*)?\))?$/;

/** A definition that DCL and CC read the same way without quotes: upper-case name and simple value. */
const BARE_DEFINE = /^[A-Z_$][A-Z0-9_$]*(=[A-Z0-9_$.]+)?$/;

/**
 * Render one macro definition as a `/DEFINE` element: `NAME`, `NAME=value` or `"NAME=value"`.
 * HELP CC /DEFINE states that DCL upper-cases unquoted input and that function-like macros must be quoted. A quote
 * inside the value is doubled inside the quoted element, so `-DVERSION="1.2"` becomes
 * `"VERSION=""1.2"""`, the form OpenSSL's descrip.mms template uses for string macros.
 */
export function defineElement(define: MacroDefinition): { text: string } | { unsafe: string } {
  if (!MACRO_NAME.test(define.name)) {
    return { unsafe: `"${define.name}" is not a valid C macro name` };
  }
  // NOTE: an empty value (`-DNAME=`) is written as "NAME="; HELP CC /DEFINE does not say whether CC
  // defines an empty macro from it as the C preprocessor does.
  const text = define.value === undefined ? define.name : `${define.name}=${define.value}`;
  const unsafe = unsafeReason(text);
  if (unsafe !== undefined) return { unsafe };
  if (BARE_DEFINE.test(text)) return { text };
  return { text: enclose(text) };
}

/**
 * Rendered definitions by name and value. A build passes the same few dozen definitions to most of its
 * compiles, so each is checked and quoted once. The cache is emptied when full, which bounds its memory.
 */
const renderedDefines = new Map<string, { text: string } | { unsafe: string }>();
const RENDERED_DEFINES_MAX = 4096;

function cachedDefineElement(define: MacroDefinition): { text: string } | { unsafe: string } {
  // The name's length keeps `-D'A=B'` (an invalid name) apart from `-DA=B`.
  const name = `${define.name.length}:${define.name}`;
  const key = define.value === undefined ? name : `${name}=${define.value}`;
  let rendered = renderedDefines.get(key);
  if (rendered === undefined) {
    if (renderedDefines.size >= RENDERED_DEFINES_MAX) renderedDefines.clear();
    // A JSON copy shares no memory with the log line that the name and value were cut from, so the cache
    // does not keep the text around those lines alive.
    rendered = JSON.parse(JSON.stringify(defineElement(define))) as { text: string } | { unsafe: string };
    renderedDefines.set(JSON.parse(JSON.stringify(key)) as string, rendered);
  }
  return rendered;
}

/**
 * Build the value list of one `/DEFINE` qualifier. CC uses only the last `/DEFINE` on a line, so all
 * definitions go into one list. A later definition of the same name replaces the earlier value and keeps
 * the earlier position. Names are case-sensitive, as in C. Definitions that cannot be written on a command
 * line are returned in `unsafe` so that the caller can write them to a `/FIRST_INCLUDE` header.
 */
export function defineList(defines: readonly MacroDefinition[]): DefineListResult {
  const merged = new Map<string, MacroDefinition>();
  for (const define of defines) {
    merged.set(define.name, define);
  }

  const elements: DclRaw[] = [];
  const unsafe: DefineListResult["unsafe"] = [];
  for (const define of merged.values()) {
    const rendered = cachedDefineElement(define);
    if ("unsafe" in rendered) {
      unsafe.push({ ...define, reason: rendered.unsafe });
    } else {
      elements.push({ kind: "raw", text: rendered.text });
    }
  }
  return { elements, unsafe };
}

/**
 * Build the value list of one `/INCLUDE_DIRECTORY` qualifier, in the given order with exact duplicates
 * dropped. HELP CC /INCLUDE_DIRECTORY accepts VMS specifications (`[.INC]`), quoted Unix paths
 * (`"/usr/include"`) and `""`, which stops the search of the standard places.
 */
export function includeDirectoryList(directories: readonly string[]): IncludeListResult {
  const seen = new Set<string>();
  const elements: DclRaw[] = [];
  const unsafe: UnsafeValue[] = [];
  for (const directory of directories) {
    if (seen.has(directory)) continue;
    seen.add(directory);

    const quoted = quoteValue(directory);
    if ("unsafe" in quoted) {
      unsafe.push({ value: directory, reason: quoted.unsafe });
    } else {
      elements.push({ kind: "raw", text: quoted.text });
    }
  }
  return { elements, unsafe };
}

/** Test whether `name` is a valid DCL symbol name: 1 to 255 letters, digits, `_` or `$`, not starting with a digit. */
export function isSymbolName(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]{0,254}$/.test(name);
}
