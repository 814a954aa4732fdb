import { randomBytes } from "node:crypto";
import { createWriteStream, promises as fs, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type Command, Option } from "commander";
import { type ParseEvent, parseLog } from "../../log/index.js";
import { formatSummaryText } from "../../log/summary.js";
import {
  type BuildStep,
  type LogDiagnostic,
  type ParseSummary,
  STEP_SCHEMA_VERSION,
} from "../../model/steps.js";
import { compdbEntry, formatCompdbEntry } from "../../report/compdb.js";
import { ExitCode, UserError } from "../../util/errors.js";
import { checkOutputPaths, inputError, STDIO_NAME } from "../../util/io.js";
import { resolveSetting } from "../context.js";
import type { Wrap } from "./index.js";

export const PARSE_FORMATS = ["text", "json", "jsonl", "compdb"] as const;
export type ParseFormat = (typeof PARSE_FORMATS)[number];

interface ParseCommandOptions {
  format: ParseFormat;
  output?: string;
  force?: boolean;
  directory?: string;
}

/** Response files larger than this are not read; real ones hold a few kilobytes of options. */
const MAX_RESPONSE_FILE_BYTES = 1 << 20;
/**
 * Size of each read from the log. Chunks this small decode to strings in V8's young generation, which is
 * collected cheaply. Megabyte chunks land in the large-object space instead and raise the peak memory.
 */
const READ_CHUNK_BYTES = 64 * 1024;
/** Output is written in pieces of about this many characters, so one write covers many steps. */
const WRITE_BATCH_CHARS = 1 << 14;
/**
 * Output held back until the log shows some build output, so that a file that is not a build log fails
 * without printing anything. Past this size the output is written anyway and the check still runs at the end.
 */
const HOLD_BACK_CHARS = 16 << 20;

export function registerParseCommand(program: Command, wrap: Wrap): void {
  program
    .command("parse")
    .summary("parse a Unix build log into build steps")
    .description(
      "Read a captured build log (make, cmake, ninja, libtool; `-` for standard input) and list the build steps it shows: compiles, archives, links, file operations and unrecognised commands, each with its log lines and working directory. Nothing from the log is ever run.",
    )
    .argument("<log>", "build log file, or - for standard input")
    .addOption(
      new Option("-f, --format <format>", "output format").choices([...PARSE_FORMATS]).default("text"),
    )
    .option("-o, --output <file>", "write the result to this file instead of standard output")
    .option("--force", "replace an existing output file")
    .option(
      "--directory <dir>",
      "working directory of the build before the log names one, and the base of relative directories in compdb output (default: .)",
    )
    .action(
      wrap(async (context, log: string, options: ParseCommandOptions) => {
        // The directory names a place on the machine that ran the build, so a configured value is used as
        // written rather than resolved against the configuration file's folder.
        const directory = resolveSetting(options.directory, context.config.settings.parse?.directory, ".");
        return runParse(context.io, context.logger, log, options, directory);
      }),
    );
}

interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

async function runParse(
  io: import("../context.js").CliIo,
  logger: import("../../util/terminal.js").Logger,
  log: string,
  options: ParseCommandOptions,
  directory: string,
): Promise<number> {
  if (options.output !== undefined && options.output !== STDIO_NAME) {
    await checkOutputPaths([options.output], { force: options.force === true });
  }
  const input = await openInput(log, io);
  const logDirectory = log === STDIO_NAME ? io.cwd : path.dirname(path.resolve(io.cwd, log));
  const baseDirectory = path.resolve(io.cwd, directory);
  const sink = await openSink(options.output, io);
  const formatter = createFormatter(options.format, log, baseDirectory);
  let pendingOutput: string[] | undefined = [];
  let pendingChars = 0;
  let batch = "";
  let recognised = false;
  let summary: ParseSummary | undefined;
  let diagnostics: LogDiagnostic[] = [];

  const emit = async (text: string) => {
    if (text === "") return;
    if (pendingOutput) {
      pendingOutput.push(text);
      pendingChars += text.length;
      if (!recognised && pendingChars < HOLD_BACK_CHARS) return;
      batch = pendingOutput.join("");
      pendingOutput = undefined;
    } else {
      batch += text;
    }
    if (batch.length >= WRITE_BATCH_CHARS) {
      await sink.write(batch);
      batch = "";
    }
  };

  try {
    await emit(formatter.start());
    const events: AsyncIterable<ParseEvent> = parseLog(input, {
      file: log,
      initialDirectory: directory,
      responseFileRoots: [...new Set([logDirectory, io.cwd])],
      readResponseFile,
    });
    for await (const event of readEvents(events, log)) {
      if (event.type === "end") {
        summary = event.summary;
        diagnostics = event.diagnostics;
        break;
      }
      if (!recognised && event.step.kind !== "unknown") recognised = true;
      await emit(formatter.step(event.step));
    }
    if (summary === undefined) throw new Error("the log reader ended without a summary");
    if (!recognised && summary.silentRuleTargets === 0 && (summary.lineCounts?.directory ?? 0) === 0) {
      throw new UserError("the file contains no recognisable build output", {
        location: { file: log },
        hint: "Give the log of a make, cmake or ninja build, captured with its commands shown (V=1, VERBOSE=1 or ninja -v).",
      });
    }
    recognised = true;
    await emit(formatter.end(summary, diagnostics));
    if (pendingOutput) {
      batch = pendingOutput.join("") + batch;
      pendingOutput = undefined;
    }
    if (batch !== "") await sink.write(batch);
    await sink.close();
  } catch (error) {
    await sink.abort();
    throw error;
  }

  if (options.format !== "text") {
    for (const diagnostic of diagnostics) {
      logger.warn(
        `${log}${diagnostic.line === undefined ? "" : `:${diagnostic.line}`}: ${diagnostic.message}`,
      );
      if (diagnostic.hint) logger.info(`  ${diagnostic.hint}`);
    }
    const counts = summary.steps;
    logger.verbose(
      `${log}: ${counts.compile} compile, ${counts.archive} archive, ${counts.link} link, ${counts.shell} shell, ${counts.unknown} unknown steps`,
    );
  }
  return ExitCode.ok;
}

async function* readEvents(events: AsyncIterable<ParseEvent>, log: string): AsyncGenerator<ParseEvent> {
  try {
    yield* events;
  } catch (error) {
    if (error instanceof UserError) throw error;
    if ((error as NodeJS.ErrnoException).code !== undefined) throw inputError(error, log, "build log");
    throw error;
  }
}

async function openInput(
  log: string,
  io: import("../context.js").CliIo,
): Promise<AsyncIterable<Buffer | string>> {
  if (log === STDIO_NAME) return io.stdin as AsyncIterable<Buffer | string>;
  let handle: import("node:fs/promises").FileHandle;
  try {
    handle = await fs.open(path.resolve(io.cwd, log), "r");
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    }
  } catch (error) {
    throw inputError(error, log, "build log");
  }
  return handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
}

function readResponseFile(file: string): Buffer | undefined {
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > MAX_RESPONSE_FILE_BYTES) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

async function openSink(output: string | undefined, io: import("../context.js").CliIo): Promise<Sink> {
  if (output === undefined || output === STDIO_NAME) {
    const stream = io.stdout;
    return {
      write: (text) => writeTo(stream, text),
      close: async () => {},
      abort: async () => {},
    };
  }
  // Written to a temporary file beside the target and renamed at the end, so a failed parse leaves no
  // partial file and a reader never sees one.
  const target = path.resolve(io.cwd, output);
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  const stream = createWriteStream(temporary, { flags: "wx" });
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (error) =>
      reject(
        new UserError(`cannot write output: ${error.message}`, {
          location: { file: output },
          hint: "Check that the directory exists and is writable.",
        }),
      ),
    );
  });
  const finish = () =>
    new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  return {
    write: (text) => writeTo(stream, text),
    close: async () => {
      await finish();
      await fs.rename(temporary, target);
    },
    abort: async () => {
      await finish().catch(() => {});
      await fs.rm(temporary, { force: true });
    },
  };
}

function writeTo(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const flushed = stream.write(text, (error) => {
      if (error) reject(error);
    });
    if (flushed) resolve();
    else stream.once("drain", () => resolve());
  });
}

interface Formatter {
  start(): string;
  step(step: BuildStep): string;
  end(summary: ParseSummary, diagnostics: LogDiagnostic[]): string;
}

function createFormatter(format: ParseFormat, log: string, baseDirectory: string): Formatter {
  switch (format) {
    case "jsonl":
      return { start: () => "", step: (step) => `${JSON.stringify(step)}\n`, end: () => "" };
    case "json": {
      let first = true;
      return {
        start: () => `{"schemaVersion":${STEP_SCHEMA_VERSION},"log":${JSON.stringify(log)},"steps":[`,
        step: (step) => {
          const separator = first ? "\n" : ",\n";
          first = false;
          return `${separator}${JSON.stringify(step)}`;
        },
        end: (summary, diagnostics) =>
          `${first ? "" : "\n"}],\n"summary":${JSON.stringify(summary)},\n"diagnostics":${JSON.stringify(diagnostics)}}\n`,
      };
    }
    case "compdb": {
      let first = true;
      return {
        start: () => "[",
        step: (step) => {
          if (step.kind !== "compile") return "";
          const separator = first ? "\n" : ",\n";
          first = false;
          return `${separator}${formatCompdbEntry(compdbEntry(step, baseDirectory))}`;
        },
        end: () => (first ? "]\n" : "\n]\n"),
      };
    }
    default:
      return {
        start: () => "",
        step: () => "",
        end: (summary, diagnostics) => formatSummaryText(log, summary, diagnostics),
      };
  }
}
