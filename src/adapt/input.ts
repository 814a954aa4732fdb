import { UserError } from "../util/errors.js";
import { readHeader } from "./header.js";

/** Bytes searched for a NUL byte, the test git and diff use to tell binary files from text. */
const BINARY_PROBE_BYTES = 8000;

const EXPECTED =
  "Give the config.h that configure or cmake wrote, or a cmake template: a file of #define, #undef, " +
  "/* #undef NAME */ or #cmakedefine lines.";

/**
 * Decodes the bytes of a `config.h` and checks that they look like one. Raises a `UserError` for binary
 * data and for text with no macro line besides a header guard, so that a wrong file name (an executable, a
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
  return text;
}
