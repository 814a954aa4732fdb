/**
 * Single file and directory names on ODS-2 and ODS-5 volumes: which characters each level can hold, the
 * ODS-5 caret escapes, and the checks the scanner's file-name rules run.
 *
 * Sources: OpenVMS HELP "Ext_File_Specs Using File_Specification_Differences ODS-5_Syntax" (character set
 * and caret escapes), OpenVMS Guide to Extended File Specifications (canonical output form: `^_` for a
 * blank, `^xx` for 8-bit codes), and HELP "Ext_File_Specs" (ODS-2 names: 39 characters, one dot).
 */

/** On-disk structure level of the target volume. */
export type OdsLevel = 2 | 5;

/** Whether a name is a file name (`name.type`) or a directory name (a level inside `[...]`). */
export type NameKind = "file" | "directory";

export type PathProblemCode =
  | "invalid-character"
  | "extra-dot"
  | "name-too-long"
  | "type-too-long"
  | "directory-too-deep";

/** A name that the target volume cannot hold, kept as data for the scanner and the `path` command. */
export interface PathProblem {
  code: PathProblemCode;
  ods: OdsLevel;
  /** The Unix file or directory name the problem is in, as given (before case mapping or escaping). */
  name: string;
  /** The offending character, for `invalid-character`. */
  character?: string;
  /** One sentence that names the rule, for example `ODS-2 names cannot contain "+"`. */
  message: string;
}

/** Longest ODS-2 file name and file type, each without the dot. */
export const ODS2_MAX_PART_LENGTH = 39;

/**
 * Longest ODS-5 file or directory name, in bytes (a UCS-2 character counts two).
 * NOTE: HELP "Ext_File_Specs Overview Features" gives 236 8-bit characters for a directory name, while HELP
 * "Ext_File_Specs Overview Impact RMS_Changes Extended_File_Names" gives 255 for file names. The smaller
 * value is used for both, so a name accepted here may be up to 19 bytes shorter than RMS allows.
 */
export const ODS5_MAX_NAME_BYTES = 236;

/** Deepest directory nesting on ODS-2 and ODS-5 since OpenVMS 7.2 (HELP "Ext_File_Specs Overview Features"). */
export const MAX_DIRECTORY_DEPTH = 255;

const ODS2_CHARACTER = /^[A-Za-z0-9$_-]$/;

/** Printable characters that RMS reads as delimiters, wildcards or separators unless a caret precedes them. */
const CARET_LITERALS = new Set([
  ",",
  ";",
  "[",
  "]",
  "%",
  "^",
  "&",
  "!",
  "#",
  "'",
  "(",
  ")",
  "+",
  "=",
  "@",
  "`",
  "{",
  "}",
  "~",
]);

/** Characters that no ODS-5 name may contain (HELP "Ext_File_Specs ... ODS-5_Syntax", besides C0 controls). */
const ODS5_FORBIDDEN = new Set(['"', "*", "\\", ":", "<", ">", "/", "?", "|"]);

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, "0");
}

/** Escapes one character for an ODS-5 file specification. The caller escapes dots, because only the caller can tell which dot starts the type. */
function escapeOds5Character(character: string): string {
  const code = character.charCodeAt(0);
  if (character === " ") return "^_";
  if (CARET_LITERALS.has(character)) return `^${character}`;
  // Controls, DEL, the C1 set and the no-break space are not printable. The forbidden characters have no
  // caret form. Both are written in hex so that the specification stays unambiguous.
  if (code < 0x20 || (code >= 0x7f && code <= 0xa0) || ODS5_FORBIDDEN.has(character))
    return `^${hex(code, 2)}`;
  if (code > 0xff) return `^U${hex(code, 4)}`;
  return character;
}

/**
 * Escapes a Unix file or directory name for an ODS-5 file specification. In a file name every dot except
 * the one before the file type gets a caret, and a trailing dot is kept as part of the name (`foo.` becomes
 * `foo^..`) so that it stays distinct from `foo`. In a directory name every dot gets a caret, and so does
 * every hyphen of a name made only of hyphens. Case is kept.
 */
export function escapeOds5Name(name: string, kind: NameKind = "file"): string {
  // A directory level of hyphens alone would read as parent steps, as in [.-].
  // NOTE: HELP does not list ^-. This relies on the rule that a caret makes the next character literal.
  if (kind === "directory" && /^-+$/.test(name)) return name.replace(/-/g, "^-");
  const typeDot = kind === "file" ? typeDotIndex(name) : -1;
  let escaped = "";
  // Iterating by UTF-16 code unit writes a character outside UCS-2 as two ^U escapes, and checkOds5Name reports it.
  for (let index = 0; index < name.length; index++) {
    const character = name.charAt(index);
    if (character === ".") escaped += index === typeDot ? "." : "^.";
    else escaped += escapeOds5Character(character);
  }
  return escaped;
}

/**
 * Returns the index of the dot that starts the file type, or -1 when the name has no type. A name that ends
 * in a dot has no type: the dot belongs to the name.
 */
export function typeDotIndex(name: string): number {
  if (name.endsWith(".")) return -1;
  return name.lastIndexOf(".");
}

/** Splits a Unix file name into the VMS file name and file type (without the dot). */
export function splitFileName(name: string): { name: string; type: string } {
  const dot = typeDotIndex(name);
  if (dot < 0) return { name, type: "" };
  return { name: name.slice(0, dot), type: name.slice(dot + 1) };
}

/** Raised by `decodeCaretEscapes` with the 0-based offset of the bad escape inside its text. */
export class CaretEscapeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "CaretEscapeError";
  }
}

const HEX_DIGIT = /^[0-9A-Fa-f]$/;

function isHexRun(text: string, start: number, count: number): boolean {
  if (start + count > text.length) return false;
  for (let index = start; index < start + count; index++) {
    if (!HEX_DIGIT.test(text.charAt(index))) return false;
  }
  return true;
}

/**
 * Decodes the ODS-5 caret escapes in one name: `^_` and `^ ` are a blank, `^Uxxxx` a UCS-2 character,
 * `^xx` an 8-bit character, and a caret before any other character makes that character literal. Two hex
 * digits after a caret are always read as a code, as RMS reads them. Throws CaretEscapeError for a caret at
 * the end or an incomplete `^U` code.
 */
export function decodeCaretEscapes(text: string): string {
  let decoded = "";
  let index = 0;
  while (index < text.length) {
    const character = text.charAt(index);
    if (character !== "^") {
      decoded += character;
      index++;
      continue;
    }
    const next = text.charAt(index + 1);
    if (next === "") throw new CaretEscapeError("a caret (^) at the end escapes nothing", index);
    if (next === "_" || next === " ") {
      decoded += " ";
      index += 2;
    } else if ((next === "U" || next === "u") && isHexRun(text, index + 2, 4)) {
      decoded += String.fromCharCode(Number.parseInt(text.slice(index + 2, index + 6), 16));
      index += 6;
    } else if (isHexRun(text, index + 1, 2)) {
      decoded += String.fromCharCode(Number.parseInt(text.slice(index + 1, index + 3), 16));
      index += 3;
    } else {
      decoded += next;
      index += 2;
    }
  }
  return decoded;
}

/**
 * Changes the case of ASCII letters only. JavaScript's full Unicode mapping would turn Latin-1 letters such
 * as `ß`, `ÿ` and `µ` into text outside Latin-1, which an ODS-5 ISO Latin-1 name cannot hold.
 */
export function upperAscii(text: string): string {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

export function lowerAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Names a character for a message: `"+"`, `a blank`, or the code point of a control character. */
export function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `the control character U+${hex(code, 4)}`;
  if (character === " ") return "a blank";
  return `"${character}"`;
}

function distinctCharacters(text: string): string[] {
  return [...new Set(Array.from(text))];
}

/**
 * Lists why ODS-2 cannot hold a Unix file or directory name. It checks for characters outside A–Z, a–z,
 * 0–9, `$`, `_` and `-`, for a second dot in a file name or any dot in a directory name, and for a file name
 * or type over 39 characters. A directory name of hyphens alone is reported too. Lower case passes because
 * RMS stores it upper-cased.
 */
export function checkOds2Name(name: string, kind: NameKind = "file"): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const character of distinctCharacters(name)) {
    if (character === "." || ODS2_CHARACTER.test(character)) continue;
    problems.push({
      code: "invalid-character",
      ods: 2,
      name,
      character,
      message: `ODS-2 names cannot contain ${describeCharacter(character)}`,
    });
  }

  // ODS-2 has no caret escape, so a directory level of hyphens alone always reads as parent steps.
  if (kind === "directory" && /^-+$/.test(name)) {
    problems.push({
      code: "invalid-character",
      ods: 2,
      name,
      character: "-",
      message: "an ODS-2 directory name of hyphens alone reads as a parent directory ([-])",
    });
  }

  const dots = name.split(".").length - 1;
  if (kind === "directory" && dots > 0) {
    problems.push({ code: "extra-dot", ods: 2, name, message: "ODS-2 directory names cannot contain a dot" });
  } else if (kind === "file" && dots > 1) {
    problems.push({
      code: "extra-dot",
      ods: 2,
      name,
      message: "ODS-2 file names have one dot, between the file name and the file type",
    });
  }

  const parts = kind === "file" ? splitAtFirstDot(name) : { name, type: "" };
  if (parts.name.length > ODS2_MAX_PART_LENGTH) {
    problems.push({
      code: "name-too-long",
      ods: 2,
      name,
      message: `ODS-2 ${kind === "file" ? "file" : "directory"} names have at most ${ODS2_MAX_PART_LENGTH} characters, this one has ${parts.name.length}`,
    });
  }
  if (parts.type.length > ODS2_MAX_PART_LENGTH) {
    problems.push({
      code: "type-too-long",
      ods: 2,
      name,
      message: `ODS-2 file types have at most ${ODS2_MAX_PART_LENGTH} characters, this one has ${parts.type.length}`,
    });
  }
  return problems;
}

// ODS-2 reads the first dot as the type delimiter, so the lengths are measured from it. A second dot is
// reported separately as extra-dot.
function splitAtFirstDot(name: string): { name: string; type: string } {
  const dot = name.indexOf(".");
  if (dot < 0) return { name, type: "" };
  return { name: name.slice(0, dot), type: name.slice(dot + 1) };
}

/**
 * Lists why ODS-5 cannot hold a Unix file or directory name: C0 control characters, `" * \ : < > / ? |`,
 * characters outside UCS-2, and names longer than 236 bytes.
 */
export function checkOds5Name(name: string, kind: NameKind = "file"): PathProblem[] {
  const problems: PathProblem[] = [];
  let bytes = 0;
  for (const character of distinctCharacters(name)) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x20 || ODS5_FORBIDDEN.has(character)) {
      problems.push({
        code: "invalid-character",
        ods: 5,
        name,
        character,
        message: `ODS-5 names cannot contain ${describeCharacter(character)}`,
      });
    } else if (code > 0xffff) {
      problems.push({
        code: "invalid-character",
        ods: 5,
        name,
        character,
        message: `ODS-5 names hold UCS-2 characters only, not U+${hex(code, 5)}`,
      });
    }
  }
  for (const character of name) bytes += (character.codePointAt(0) ?? 0) > 0xff ? 2 : 1;

  if (bytes > ODS5_MAX_NAME_BYTES) {
    problems.push({
      code: "name-too-long",
      ods: 5,
      name,
      message: `ODS-5 ${kind} names have at most ${ODS5_MAX_NAME_BYTES} bytes, this one has ${bytes}`,
    });
  }
  return problems;
}

/** Runs the name check of the given structure level. */
export function checkName(name: string, ods: OdsLevel, kind: NameKind = "file"): PathProblem[] {
  return ods === 2 ? checkOds2Name(name, kind) : checkOds5Name(name, kind);
}
