import { promises as fs, statSync } from "node:fs";
import path from "node:path";
import { UserError } from "./errors.js";
import { releaseTemporary, temporaryPath } from "./temporary.js";

/** Name used for standard input and output in messages and in `-` arguments. */
export const STDIO_NAME = "-";

/** Read all of standard input as bytes. */
export async function readStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Read an input file named on the command line, or standard input for `-`. Fails with a UserError that
 * names the file and the fix when the file is missing, is a directory or cannot be read.
 */
export async function readInput(file: string, what = "input file"): Promise<Buffer> {
  if (file === STDIO_NAME) return readStdin();
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw inputError(error, file, what);
  }
}

/** Turn a file-system error on an input into a message a user can act on. */
export function inputError(error: unknown, file: string, what = "input file"): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    return new UserError(`${what} not found`, { location: { file }, hint: "Check the path and try again." });
  }
  if (code === "EISDIR") {
    return new UserError(`${what} is a directory, not a file`, { location: { file }, hint: "Name a file." });
  }
  if (code === "EACCES" || code === "EPERM") {
    return new UserError(`${what} cannot be read: permission denied`, {
      location: { file },
      hint: "Check the file's permissions.",
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new UserError(`${what} cannot be read: ${reason}`, { location: { file } });
}

export interface WriteOptions {
  /** Replace an existing file. Without it an existing file is an error and nothing is written. */
  force: boolean;
}

/** One file to be written by `writeFilesAtomically`. */
export interface OutputFile {
  path: string;
  content: string | Uint8Array;
}

/**
 * Check that each output path can be written: not a directory, and not an existing file unless `force`.
 * Called before any file is written so that a refusal leaves nothing behind.
 */
export async function checkOutputPaths(paths: readonly string[], options: WriteOptions): Promise<void> {
  const seen = new Set<string>();
  for (const file of paths) {
    const slash = trailingSlashProblem(file);
    if (slash !== undefined) throw slash;
    const resolved = path.resolve(file);
    if (seen.has(resolved)) {
      throw new UserError("the same output file would be written twice", { location: { file } });
    }
    seen.add(resolved);
    let stat: import("node:fs").Stats | undefined;
    try {
      stat = await fs.stat(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw inputError(error, file, "output file");
    }
    const problem = stat === undefined ? undefined : existingOutputProblem(file, stat, options.force);
    if (problem !== undefined) throw problem;
  }
}

/**
 * Return the problem with an output path that ends in a slash: it names a directory, even one that does
 * not exist yet, and renaming a file onto it fails with an error that names the temporary file.
 */
export function trailingSlashProblem(file: string): UserError | undefined {
  if (!file.endsWith("/") && !file.endsWith(path.sep)) return undefined;
  return new UserError("output path ends with a slash, so it names a directory", {
    location: { file },
    hint: "Give a file name with -o/--output, for example -o out/BUILD.COM.",
  });
}

/**
 * Return the problem with writing over an existing path: a directory, or a file without `force`.
 * `directoryHint` replaces the hint for a directory, for a file whose name does not come from `-o`.
 */
export function existingOutputProblem(
  file: string,
  stats: import("node:fs").Stats,
  force: boolean,
  directoryHint = "Give a file name with -o/--output.",
): UserError | undefined {
  if (stats.isDirectory())
    return new UserError("output path is a directory", { location: { file }, hint: directoryHint });
  if (writtenInPlace(stats)) return undefined;
  if (!stats.isFile()) {
    return new UserError("output path is neither a regular file, a character device nor a FIFO", {
      location: { file },
      hint: "Give the path of a file to create or replace, or - for standard output.",
    });
  }
  if (!force) {
    return new UserError("output file already exists", {
      location: { file },
      hint: "Use --force to replace it, or move it out of the way first.",
    });
  }
  return undefined;
}

/**
 * Tell whether an existing output path is a character device or a FIFO, such as /dev/null or a named pipe. Such a
 * path is opened and written in place: renaming a temporary file over it would replace the device or pipe
 * with a regular file. It needs no --force, because it contains no file content that writing could destroy.
 */
export function writtenInPlace(stats: import("node:fs").Stats): boolean {
  return stats.isCharacterDevice() || stats.isFIFO();
}

/** `writtenInPlace` for a path that may not exist. */
export function isWrittenInPlace(file: string): boolean {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats !== undefined && writtenInPlace(stats);
}

/**
 * Write several files so that either all of them appear or none does: each is first written to a
 * temporary file in its target directory, and only when every write succeeded are they renamed into
 * place. Parent directories are created. A rename within one directory is atomic on POSIX file systems,
 * so a reader never sees a half-written file.
 */
export async function writeFilesAtomically(
  files: readonly OutputFile[],
  options: WriteOptions,
): Promise<void> {
  await checkOutputPaths(
    files.map((file) => file.path),
    options,
  );
  const staged: { temporary: string; target: string }[] = [];
  // The file being written or renamed when an error comes, so that the message names it.
  let current = files[0]?.path ?? "";
  let writingDevice = false;
  try {
    for (const file of files) {
      current = file.path;
      if (isWrittenInPlace(file.path)) continue;
      const directory = path.dirname(path.resolve(file.path));
      await fs.mkdir(directory, { recursive: true });
      const temporary = temporaryPath(path.join(directory, path.basename(file.path)));
      staged.push({ temporary, target: file.path });
      await fs.writeFile(temporary, file.content, { flag: "wx" });
    }
    for (const { temporary, target } of staged) {
      current = target;
      await fs.rename(temporary, target);
      releaseTemporary(temporary);
    }
    // A device or pipe is written last, because what it receives cannot be taken back.
    for (const file of files) {
      if (!isWrittenInPlace(file.path)) continue;
      current = file.path;
      writingDevice = true;
      await fs.writeFile(file.path, file.content, { flag: "w" });
    }
  } catch (error) {
    await Promise.all(
      staged.map(async ({ temporary }) => {
        await fs.rm(temporary, { force: true });
        releaseTemporary(temporary);
      }),
    );
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot write output: ${(error as Error).message}`, {
      location: { file: current },
      hint: writingDevice
        ? "Check that the device or pipe accepts writes, or pass another -o path."
        : "Check that the directory exists and is writable.",
    });
  }
}

/** Write one result either to a file (atomically, see `writeFilesAtomically`) or, without a path, to stdout. */
export async function writeOutput(
  output: string | undefined,
  content: string,
  options: WriteOptions,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  if (output === undefined || output === STDIO_NAME) {
    await new Promise<void>((resolve, reject) => {
      stdout.write(content, (error) => (error ? reject(error) : resolve()));
    });
    return;
  }
  await writeFilesAtomically([{ path: output, content }], options);
}
