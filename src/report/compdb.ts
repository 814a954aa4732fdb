/**
 * The compile_commands.json writer. The format is the JSON Compilation Database of Clang's documentation
 * ("JSON Compilation Database Format Specification"): an array of objects with `directory`, `file`,
 * `arguments` and optionally `output`. Entries are produced one at a time so a caller can stream them.
 */
import path from "node:path";
import type { CompileStep } from "../model/steps.js";

export interface CompdbEntry {
  /** Absolute working directory of the compile. */
  directory: string;
  file: string;
  arguments: string[];
  output: string;
}

const SOURCE_EXTENSION = /\.(?:c|cc|cp|cpp|cxx|c\+\+|C|CC|CPP|i|ii|s|S|sx|m|mi)$/;

/**
 * Builds the entry for one compile step. Relative step directories are resolved against `baseDirectory`,
 * because clang requires `directory` to be absolute. When one command compiled several sources (`cc -o prog
 * a.c b.c`), the other sources and the `-o` are removed and `-c -o OBJECT` added, so that each entry compiles
 * exactly its own file.
 */
export function compdbEntry(step: CompileStep, baseDirectory: string): CompdbEntry {
  const directory = path.posix.resolve(toPosix(baseDirectory), step.directory.path);
  const args = step.outputImplied ? argumentsForOneSource(step) : [...step.argv];
  return { directory, file: step.source, arguments: args, output: step.output };
}

function argumentsForOneSource(step: CompileStep): string[] {
  const result: string[] = [];
  let hasCompileOnly = false;
  for (let k = 0; k < step.argv.length; k++) {
    const word = step.argv[k] as string;
    if (k > 0 && word === "-o") {
      k++;
      continue;
    }
    if (k > 0 && word.startsWith("-o") && word.length > 2) continue;
    if (
      k > 0 &&
      word !== step.source &&
      !word.startsWith("-") &&
      SOURCE_EXTENSION.test(word) &&
      step.argv[k - 1] !== "-x"
    )
      continue;
    if (word === "-c" || word === "-S") hasCompileOnly = true;
    result.push(word);
  }
  if (!hasCompileOnly) result.push("-c");
  result.push("-o", step.output);
  return result;
}

function toPosix(directory: string): string {
  return directory.split(path.sep).join("/");
}

/** Writes one entry as it appears inside the array, indented by two spaces. */
export function formatCompdbEntry(entry: CompdbEntry): string {
  return `  ${JSON.stringify(entry)}`;
}

/** Formats a whole database; an empty step list gives `[]`. */
export function formatCompdb(steps: readonly CompileStep[], baseDirectory: string): string {
  if (steps.length === 0) return "[]\n";
  return `[\n${steps.map((step) => formatCompdbEntry(compdbEntry(step, baseDirectory))).join(",\n")}\n]\n`;
}
