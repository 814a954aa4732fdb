import { UserError } from "../util/errors.js";
import { findCode } from "./c-code.js";
import { readHeader } from "./header.js";

/** Bytes searched for a NUL byte, the test git and diff use to tell binary files from text. */
const BINARY_PROBE_BYTES = 8000;

const EXPECTED =
  "Give the config.h that configure or cmake wrote, or a cmake template: a file of #define, #undef, " +
  "/* #undef NAME */ or #cmakedefine lines.";

/**
 * Decodes the bytes of a `config.h` and checks that they look like one. Raises a `UserError` for binary
 * data, for text with no macro line besides a header guard, and for C code (a function definition, an
 * initialized object, or more declarations than macro lines), so that a wrong file name (an executable, a
 * C source) is not passed through as if it needed no change.
 */
export function decodeConfigHeader(bytes: Uint8Array, file: string): string {
  const probe = bytes.subarray(0, BINARY_PROBE_BYTES);
  const nul = probe.indexOf(0);
  if (nul !== -1) {
    throw new UserError(`input is binary data, not a config.h (NUL byte at offset ${nul})`, {
      location: { file },
      hint: EXPECTED,
    });
  }

  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  const header = readHeader(text);
  const guard = header.guard?.defineIndex;
  if (!header.macros.some((macro) => macro.index !== guard)) {
    const what = text.trim() === "" ? "input is empty" : "input has no config.h macro lines";
    throw new UserError(`${what}, so there is nothing to adjust`, { location: { file }, hint: EXPECTED });
  }

  const macroLines = header.macros.filter((macro) => macro.index !== guard).length;
  const code = findCode(text, macroLines);
  if (code) {
    throw new UserError(`input is C code, not a config.h: ${code.description}`, {
      location: { file, line: code.line },
      hint: `${EXPECTED} Typedefs and a few prototypes are accepted; function bodies and initialized variables are not.`,
    });
  }
  return text;
}
