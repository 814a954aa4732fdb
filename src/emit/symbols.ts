import { UserError } from "../util/errors.js";
import type { ExportedSymbol, ExportList } from "./options.js";

/**
 * Export lists for shareable images: read from a GNU ld version script or from `--exports FILE`, and written
 * as `SYMBOL_VECTOR` options.
 *
 * Sources: HELP LINK SYMBOL_VECTOR (entry types, aliases), HELP LINK CASE_SENSITIVE and GSMATCH; the
 * symbol-vector layouts of zlib's make_vms.com and curl's gnv_libcurl_symbols.opt (a lower-case entry plus an
 * upper-case alias for each name compiled with /NAMES=AS_IS).
 */

/** The longest external name the OpenVMS linker keeps without /NAMES=SHORTENED. */
export const MAX_EXTERNAL_NAME = 31;

/** Longest line written into an options file; OpenSSL's mkdef.pl keeps SYMBOL_VECTOR statements this short. */
const MAX_OPTION_LINE = 1000;

const C_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A line of `nm -g` output: optional address, one type letter, the name. */
const NM_LINE = /^(?:[0-9a-fA-F]+\s+)?([A-Za-z?-])\s+(\S+)$/;

/**
 * Read the global names of a GNU ld version script. Names under `local:` and wildcard patterns are not
 * exported names; wildcards are returned in `patterns` so the caller can say they were not expanded.
 */
export function parseVersionScript(text: string, file: string): { list: ExportList; patterns: string[] } {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/(#|\/\/)[^\n]*/g, " ");
  const tokens = withoutComments.match(/"[^"]*"|[{};:]|[^\s{};:]+/g) ?? [];
  const symbols: ExportedSymbol[] = [];
  const patterns: string[] = [];
  const seen = new Set<string>();
  let depth = 0;
  let scope: "global" | "local" = "global";
  let language = "C";
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] ?? "";
    const next = tokens[index + 1];
    if (token === "{") {
      depth++;
      if (depth === 1) scope = "global";
      continue;
    }
    if (token === "}") {
      depth = Math.max(0, depth - 1);
      if (depth <= 1) language = "C";
      continue;
    }
    if (token === ";" || depth === 0) continue;
    if ((token === "global" || token === "local") && next === ":") {
      scope = token;
      index++;
      continue;
    }
    if (token === "extern" && next?.startsWith('"')) {
      language = next.slice(1, -1);
      index++;
      continue;
    }
    if (scope === "local") continue;
    const name = token.startsWith('"') ? token.slice(1, -1) : token;
    if (language === "C" && C_IDENTIFIER.test(name)) {
      if (!seen.has(name)) symbols.push({ name, type: "PROCEDURE" });
      seen.add(name);
    } else if (/[*?[]/.test(name) || language !== "C") {
      patterns.push(name);
    } else {
      throw new UserError(`cannot read version script entry "${name}"`, {
        location: { file },
        hint: "Give the export list with --exports FILE instead (one name per line, or nm -g output).",
      });
    }
  }
  return { list: { source: file, symbols }, patterns };
}

/**
 * Read an export list: one name per line (optionally followed by PROCEDURE or DATA), or the output of
 * `nm -g`, whose type letter tells functions (T, W, I) from data (D, B, R, G, S, C, V). Blank lines and lines
 * starting with `#` or `!` are skipped; undefined symbols (U) of nm output are skipped.
 */
export function parseExportList(text: string, file: string): ExportList {
  const symbols: ExportedSymbol[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed.length === 0 || trimmed.startsWith("#") || trimmed.startsWith("!")) return;
    const words = trimmed.split(/\s+/);
    let name: string | undefined;
    let type: ExportedSymbol["type"] = "PROCEDURE";
    const nm = NM_LINE.exec(trimmed);
    if (nm && (words.length === 3 || words[0]?.length === 1)) {
      const letter = nm[1] ?? "";
      // Undefined (U, w, v) and absolute (A: version nodes of a version script) names are not exports.
      if (letter === "U" || letter === "w" || letter === "v" || letter === "A") return;
      name = nm[2];
      type = /[TtWIi]/.test(letter) ? "PROCEDURE" : "DATA";
    } else if (words.length === 1) {
      name = words[0];
    } else if (words.length === 2 && /^(PROCEDURE|DATA)$/i.test(words[1] ?? "")) {
      name = words[0];
      type = words[1]?.toUpperCase() === "DATA" ? "DATA" : "PROCEDURE";
    }
    if (name === undefined || !C_IDENTIFIER.test(name)) {
      throw new UserError(`invalid export list entry ${quoteEntry(trimmed)}`, {
        location: { file, line: index + 1 },
        hint: "Write one C name per line, optionally followed by PROCEDURE or DATA, or give the output of nm -g.",
      });
    }
    if (!seen.has(name)) symbols.push({ name, type });
    seen.add(name);
  });
  return { source: file, symbols };
}

/** Maximum length of an entry quoted in a message. Longer entries are cut and end in "...". */
const QUOTED_ENTRY_LENGTH = 60;

/** Quote an export list entry for a message: control characters escaped, cut to about 60 characters. */
function quoteEntry(entry: string): string {
  const shown = entry.length > QUOTED_ENTRY_LENGTH ? `${entry.slice(0, QUOTED_ENTRY_LENGTH)}...` : entry;
  return JSON.stringify(shown);
}

/**
 * Check that an export list is text: a NUL byte or the ELF magic number means the user passed an object,
 * library or image, whose bytes would make no sense in a message.
 */
export function checkExportListIsText(content: Buffer, file: string): void {
  const head = content.subarray(0, 8192);
  const elf = head.length >= 4 && head[0] === 0x7f && head.toString("latin1", 1, 4) === "ELF";
  if (!elf && !head.includes(0)) return;
  throw new UserError(
    elf
      ? "the export list is an ELF binary, not a text file"
      : "the export list is a binary file, not a text file",
    {
      location: { file },
      hint: "Pass the output of nm -g --defined-only for that library (nm -g --defined-only libx.so > exports.txt), or a file with one name per line.",
    },
  );
}

/** CRC-32 table for the reflected AUTODIN-II polynomial (0xEDB88320), built once. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? (value >>> 1) ^ 0xedb88320 : value >>> 1;
    table[byte] = value >>> 0;
  }
  return table;
})();

const BASE32_DIGITS = "0123456789abcdefghijklmnopqrstuv";

/**
 * The name /NAMES=SHORTENED gives an external name over 31 characters: its first 23 characters, seven base-32
 * digits of an AUTODIN-II CRC of the whole name (the CRC register without the final inversion) and `$`.
 * With `asIs` false the name and the digits are upper case, as with /NAMES=(UPPERCASE,SHORTENED).
 * Source: HELP CC /NAMES, and the description of the scheme in vms_shorten_symbol.c (Craig A. Berry, as
 * published with the plibsys OpenVMS build files), whose two example names the tests check.
 */
export function shortenedName(name: string, asIs: boolean): string {
  const text = asIs ? name : name.toUpperCase();
  if (text.length <= MAX_EXTERNAL_NAME) return text;
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "latin1")) crc = (crc >>> 8) ^ (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0);
  let digits = "";
  let value = crc >>> 0;
  for (let index = 0; index < 7; index++) {
    digits = (BASE32_DIGITS[value & 0x1f] ?? "0") + digits;
    value >>>= 5;
  }
  return `${text.slice(0, 23)}${asIs ? digits : digits.toUpperCase()}$`;
}

/**
 * Write `SYMBOL_VECTOR=(…)` statements for an image compiled with /NAMES=(AS_IS,SHORTENED). Each name gets
 * an entry under its own case, and a name with lower-case letters also an upper-case alias, so callers
 * compiled with /NAMES=UPPERCASE resolve too. A name over 31 characters is entered under its shortened form.
 * The order of entries is the image's interface: append only.
 */
export function symbolVector(symbols: readonly ExportedSymbol[]): string[] {
  const entries: string[] = [];
  for (const symbol of symbols) {
    const asIs = shortenedName(symbol.name, true);
    const upper = shortenedName(symbol.name, false);
    entries.push(`${asIs}=${symbol.type}`);
    if (upper !== asIs) entries.push(`${upper}/${asIs}=${symbol.type}`);
  }
  const lines: string[] = [];
  let current: string[] = [];
  const opening = "SYMBOL_VECTOR=(".length + 1;
  const separator = ", -\n    ".length;
  let length = opening;
  for (const entry of entries) {
    if (current.length > 0 && length + separator + entry.length > MAX_OPTION_LINE) {
      lines.push(`SYMBOL_VECTOR=(${current.join(", -\n    ")})`);
      current = [];
      length = opening;
    }
    length += (current.length > 0 ? separator : 0) + entry.length;
    current.push(entry);
  }
  if (current.length > 0) lines.push(`SYMBOL_VECTOR=(${current.join(", -\n    ")})`);
  return lines;
}

/**
 * `GSMATCH=LEQUAL,major,minor` from a soname such as `libz.so.1` and an output name such as
 * `libz.so.1.3.1`: the major is the soname's first number, the minor the output's second number (0 without).
 */
export function gsmatch(soname: string | undefined, output: string): string | undefined {
  const major = soname === undefined ? undefined : /\.so\.([0-9]+)/.exec(soname)?.[1];
  const fromOutput = /\.so\.([0-9]+)(?:\.([0-9]+))?/.exec(output);
  const chosenMajor = major ?? fromOutput?.[1];
  if (chosenMajor === undefined) return undefined;
  const minor = fromOutput?.[1] === chosenMajor ? (fromOutput[2] ?? "0") : "0";
  return `GSMATCH=LEQUAL,${Number(chosenMajor)},${Number(minor)}`;
}
