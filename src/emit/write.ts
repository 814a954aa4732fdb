import { randomBytes } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFile,
  renameSync,
  rmdirSync,
  rmSync,
  type Stats,
  stat,
  statSync,
  writeFile,
  writeSync,
} from "node:fs";
import path from "node:path";
import { UserError } from "../util/errors.js";
import { existingOutputProblem, inputError, trailingSlashProblem } from "../util/io.js";
import { releaseTemporary, trackTemporary } from "../util/temporary.js";

/** The text of an output file, whole or as chunks to write in order. A chunk that is not a string is UTF-8. */
export type OutputContent = string | readonly (string | Uint8Array)[];

/** Outcome of one staged file, known once its background check and write have finished. */
interface StageResult {
  /** The file failed its check, so nothing was written for it. */
  problem?: UserError;
  /** The temporary file could not be written. */
  failure?: unknown;
  /** The target exists with exactly this content, so nothing was written and nothing is renamed. */
  unchanged?: true;
}

/**
 * The files of one `translate` run. A failed check or write leaves none of them in place. Renames cannot be
 * undone, so a rename that fails part-way leaves the files renamed before it, but never the main file.
 * The checks, messages and precedence are those of `writeFilesAtomically` in util/io.ts. Every path is
 * checked before anything is renamed, the first failed check wins over any failed write, and a failure
 * removes every temporary file.
 *
 * Options files and headers are staged while the translation goes on. The existence check and the write of
 * each temporary file run in libuv's thread pool, so the file system's latency overlaps the translation
 * instead of adding to it. Creating hundreds of files one after another on the main thread took 0.05 to
 * 0.7 ms a file on a shared ext4 disk. `commit` then writes the main file, which comes last because its
 * header counts every step, and renames every file into place.
 */
export class StagedOutput {
  private readonly staged: { temporary: string; target: string; result: Promise<StageResult> }[] = [];
  private readonly seen = new Set<string>();
  /** Names in each output directory when the staging first used it, or none for a directory it created. */
  private readonly directories = new Map<string, ReadonlySet<string>>();
  /** Directories that did not exist before the staging, parents first, for removal after a failure. */
  private readonly createdDirectories: string[] = [];
  /** The main file's own problem, found when the staging starts. */
  private readonly mainProblem: UserError | undefined;
  /** Set once the main file or a path given twice fails its check, after which nothing more is staged. */
  private stopped = false;
  /** Temporary names are `.NAME.PID.HEX.tmp`, where HEX is six random digits for the run and a counter. */
  private readonly nameStem = `${process.pid}.${randomBytes(3).toString("hex")}`;
  private count = 0;

  constructor(
    private readonly main: string,
    private readonly force: boolean,
  ) {
    try {
      checkOutputPath(main, this.seen, force);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.mainProblem = error;
      this.stopped = true;
    }
  }

  /** Start checking `target` and writing `content` to a temporary file beside it, in the background. */
  stage(target: string, content: string | readonly string[]): void {
    if (this.stopped) return;
    const resolved = path.resolve(target);
    let temporary = "";
    let result: Promise<StageResult>;
    if (this.seen.has(resolved)) {
      result = Promise.resolve({
        problem: new UserError("the same output file would be written twice", { location: { file: target } }),
      });
      this.stopped = true;
    } else {
      this.seen.add(resolved);
      try {
        temporary = this.temporaryFor(target);
        result = this.checkAndWrite(
          target,
          temporary,
          typeof content === "string" ? content : content.join(""),
        );
      } catch (error) {
        result = Promise.resolve({ failure: error });
      }
    }
    this.staged.push({ temporary, target, result });
  }

  /** Write the main file, then rename every file into place, the main file last. A failure removes the files not yet renamed. */
  async commit(content: OutputContent): Promise<void> {
    const results = await Promise.all(this.staged.map((file) => file.result));
    const problem = this.mainProblem ?? results.find((result) => result.problem !== undefined)?.problem;
    if (problem !== undefined) {
      this.removeTemporaries();
      throw problem;
    }
    let mainTemporary: string | undefined;
    try {
      mainTemporary = this.temporaryFor(this.main);
      writeNewFile(mainTemporary, content);
    } catch (error) {
      if (mainTemporary !== undefined) removeTemporary(mainTemporary);
      this.removeTemporaries();
      throw writeError(error, this.main);
    }
    const failed = results.findIndex((result) => result.failure !== undefined);
    if (failed >= 0) {
      removeTemporary(mainTemporary);
      this.removeTemporaries();
      throw writeError(results[failed]?.failure, this.staged[failed]?.target ?? this.main);
    }
    // The main file is renamed last, so that a failed rename never leaves a new procedure that names options
    // files still missing or old. Files renamed before the failure stay in place.
    let renaming = this.main;
    try {
      for (const [index, { temporary, target }] of this.staged.entries()) {
        if (results[index]?.unchanged) continue;
        renaming = target;
        renameSync(temporary, target);
        releaseTemporary(temporary);
      }
      renaming = this.main;
      renameSync(mainTemporary, this.main);
      releaseTemporary(mainTemporary);
    } catch (error) {
      removeTemporary(mainTemporary);
      this.removeTemporaries();
      throw writeError(error, renaming);
    }
  }

  /** Remove every temporary file once its write has finished, after a failed translation. */
  async abort(): Promise<void> {
    await Promise.all(this.staged.map((file) => file.result));
    this.removeTemporaries();
  }

  /** Remove the temporary files, then the directories the staging created, deepest first, if still empty. */
  private removeTemporaries(): void {
    for (const { temporary } of this.staged) if (temporary !== "") removeTemporary(temporary);
    for (const directory of this.createdDirectories.toReversed()) {
      try {
        rmdirSync(directory);
      } catch {
        // A directory that another process wrote into meanwhile stays.
      }
    }
  }

  /** Check `target` as `checkOutputPath` does and, when it passes, write the temporary file. */
  private checkAndWrite(target: string, temporary: string, text: string): Promise<StageResult> {
    return new Promise((resolve) => {
      const write = () => {
        writeFile(temporary, text, { flag: "wx" }, (writeError) => {
          resolve(writeError === null ? {} : { failure: writeError });
        });
      };
      // A name missing from the directory listing needs no stat of its own, which saves a file-system call
      // per options file. A listed name is checked like the main file, following a symbolic link.
      const listed = this.directories.get(path.dirname(path.resolve(target)));
      if (listed !== undefined && !listed.has(path.basename(target))) {
        write();
        return;
      }
      stat(target, (error, stats) => {
        if (error !== null && error.code !== "ENOENT") {
          resolve({ problem: inputError(error, target, "output file") });
          return;
        }
        const problem =
          error === null
            ? existingOutputProblem(target, stats, this.force, BESIDE_DIRECTORY_HINT)
            : undefined;
        if (problem === undefined) {
          write();
          return;
        }
        // An options file or header that a run for the other format (DCL or MMS) wrote into the same
        // directory has the same content, and leaving it as it is loses nothing.
        if (!stats.isFile()) {
          resolve({ problem });
          return;
        }
        if (stats.size !== Buffer.byteLength(text)) {
          resolve({ problem: otherContentProblem(target) });
          return;
        }
        readFile(target, (readError, existing) => {
          if (readError === null && existing.equals(Buffer.from(text))) {
            releaseTemporary(temporary);
            resolve({ unchanged: true });
          } else resolve({ problem: otherContentProblem(target) });
        });
      });
    });
  }

  /** Create the target's directory when needed and return a temporary file name beside the target. */
  private temporaryFor(target: string): string {
    const directory = path.dirname(path.resolve(target));
    if (!this.directories.has(directory)) {
      // mkdirSync returns the first directory it created, so a directory it returns was empty.
      const created = mkdirSync(directory, { recursive: true });
      this.directories.set(directory, created === undefined ? new Set(readdirSync(directory)) : new Set());
      if (created !== undefined) {
        this.createdDirectories.push(created);
        for (const name of path
          .relative(created, directory)
          .split(path.sep)
          .filter((part) => part !== ""))
          this.createdDirectories.push(path.join(this.createdDirectories.at(-1) as string, name));
      }
    }
    this.count++;
    return trackTemporary(
      path.join(directory, `.${path.basename(target)}.${this.nameStem}${this.count.toString(16)}.tmp`),
    );
  }
}

function writeError(error: unknown, file: string): UserError {
  if (error instanceof UserError) return error;
  return new UserError(`cannot write output: ${(error as Error).message}`, {
    location: { file },
    hint: "Check that the directory exists and is writable.",
  });
}

/** Reject a directory, a path given twice, or an existing file unless `force`. */
function checkOutputPath(file: string, seen: Set<string>, force: boolean): void {
  const slash = trailingSlashProblem(file);
  if (slash !== undefined) throw slash;
  const resolved = path.resolve(file);
  if (seen.has(resolved)) {
    throw new UserError("the same output file would be written twice", { location: { file } });
  }
  seen.add(resolved);
  let stats: Stats | undefined;
  try {
    stats = statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    throw inputError(error, file, "output file");
  }
  const problem = stats === undefined ? undefined : existingOutputProblem(file, stats, force);
  if (problem !== undefined) throw problem;
}

/** Build the problem for an options file or header that exists with content other than this run's. */
function otherContentProblem(file: string): UserError {
  return new UserError("output file already exists with other content", {
    location: { file },
    hint: "Use --force to replace it, or write this output into another directory; a procedure and a description file of the same log can share one.",
  });
}

/** Hint for a directory that has the name of an options file or header, which comes from the build. */
const BESIDE_DIRECTORY_HINT =
  "An options file or header that goes beside the procedure has this name. Move the directory away, or give -o a path in another directory.";

/** Create `file`, failing if it exists, and write the content. The descriptor is closed on every path. */
function writeNewFile(file: string, content: OutputContent): void {
  const descriptor = openSync(file, "wx");
  try {
    if (typeof content === "string") writeAll(descriptor, content);
    else for (const chunk of content) writeAll(descriptor, chunk);
  } finally {
    closeSync(descriptor);
  }
}

/** Write all of `text`, as UTF-8 when it is a string, looping because one write may take fewer bytes than given. */
function writeAll(descriptor: number, text: string | Uint8Array): void {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(descriptor, bytes, offset, bytes.length - offset);
}

/** Removes a temporary file that was not renamed into place, and stops tracking it. */
function removeTemporary(file: string): void {
  rmSync(file, { force: true });
  releaseTemporary(file);
}
