/**
 * Response files (`@file`): gcc and clang read further arguments from them, with shell-like quoting. The
 * files usually live in the build tree and ninja deletes them after a successful command, so a missing
 * file is reported rather than treated as an error.
 */
import { resolvePath } from "./directory.js";
import { tokenize } from "./shell.js";

/** Reads a response file by path; returns undefined when it does not exist or cannot be read. */
export type ResponseFileReader = (path: string) => Buffer | undefined;

/** Splits the text of a response file into arguments. */
export function splitResponseFile(text: string): string[] {
  const words: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    for (const token of tokenize(line).tokens) if (token.type === "word") words.push(token.word.value);
  }
  return words;
}

/**
 * Replaces each `@file` word with the file's arguments when the file can be found: first relative to the
 * step's directory, then under each root. Nested response files are expanded once more, not recursively,
 * so a file that names itself cannot loop.
 */
export function expandResponseFiles(
  argv: readonly string[],
  directory: string,
  roots: readonly string[],
  read: ResponseFileReader | undefined,
  depth = 0,
): { argv: string[]; files: { path: string; resolved: boolean }[] } {
  const expanded: string[] = [];
  const files: { path: string; resolved: boolean }[] = [];
  for (let k = 0; k < argv.length; k++) {
    const word = argv[k] as string;
    if (k === 0 || !word.startsWith("@") || word.length === 1) {
      expanded.push(word);
      continue;
    }
    const name = word.slice(1);
    const content = read === undefined ? undefined : readFirst(name, directory, roots, read);
    files.push({ path: name, resolved: content !== undefined });
    if (content === undefined) {
      expanded.push(word);
      continue;
    }
    const inner = splitResponseFile(content.toString("utf8"));
    if (depth < 1) {
      const nested = expandResponseFiles(["", ...inner], directory, roots, read, depth + 1);
      expanded.push(...nested.argv.slice(1));
      files.push(...nested.files);
    } else {
      expanded.push(...inner);
    }
  }
  return { argv: expanded, files };
}

function readFirst(
  name: string,
  directory: string,
  roots: readonly string[],
  read: ResponseFileReader,
): Buffer | undefined {
  if (name.startsWith("/")) return read(name);
  // The candidates are tried in order and each path once. A loop over the roots takes the place of a
  // spread of `roots.map` and a `Set`, which built three arrays per `@file` word.
  const first = resolvePath(directory, name);
  const found = read(first);
  if (found !== undefined) return found;
  const tried = [first];
  for (const root of roots) {
    const candidate = resolvePath(resolvePath(root, directory), name);
    if (tried.includes(candidate)) continue;
    tried.push(candidate);
    const content = read(candidate);
    if (content !== undefined) return content;
  }
  return undefined;
}
