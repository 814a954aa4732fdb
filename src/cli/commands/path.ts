import { type Command, Option } from "commander";
import { ExitCode, UserError } from "../../util/errors.js";
import { readStdin, STDIO_NAME } from "../../util/io.js";
import {
  InvalidFileSpecError,
  type PathProblem,
  parseRootMapping,
  type RootMapping,
  unixToVms,
  vmsToUnix,
} from "../../vms/filespec.js";
import type { CommandContext } from "../context.js";
import type { Wrap } from "./index.js";

interface PathOptions {
  toUnix?: boolean;
  ods: "2" | "5";
  case?: "upper" | "lower" | "preserve";
  rootLogical?: RootMapping[];
  keepVersion?: boolean;
  crtlNames: boolean;
  format: "text" | "json";
}

/** One translated input, as written by `--format json`. */
interface PathResult {
  input: string;
  output: string;
  problems: PathProblem[];
}

/** An input and where it came from, so that an invalid one read from standard input can name its line. */
interface PathInput {
  text: string;
  line?: number;
}

function collectRootMapping(value: string, previous: RootMapping[] | undefined): RootMapping[] {
  return [...(previous ?? []), parseRootMapping(value)];
}

export function registerPathCommand(program: Command, wrap: Wrap): void {
  program
    .command("path")
    .description("translate file specifications between Unix and OpenVMS syntax")
    .argument("<path...>", 'paths to translate, or "-" alone to read one path per line from standard input')
    .option("--to-unix", "translate OpenVMS file specifications to Unix paths")
    .addOption(
      new Option("--ods <level>", "on-disk structure level of the target volume")
        .choices(["2", "5"])
        .default("5"),
    )
    .addOption(
      new Option(
        "--case <case>",
        "letter case of the result: upper or preserve for OpenVMS (default upper), lower or preserve with --to-unix (default lower)",
      ).choices(["upper", "lower", "preserve"]),
    )
    .option(
      "--root-logical <name=unixprefix>",
      "write paths under UNIXPREFIX with the concealed logical name NAME, for example SRC$ROOT=/home/user/src/zlib (repeatable)",
      collectRootMapping,
    )
    .option("--keep-version", "with --to-unix, keep a version number as ;n instead of dropping it")
    .option("--no-crtl-names", "do not map /dev/null, /tmp and /bin to NLA0:, SYS$SCRATCH: and SYS$SYSTEM:")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(wrap((context, paths: string[], options: PathOptions) => runPath(context, paths, options)));
}

async function readInputs(context: CommandContext, paths: string[]): Promise<PathInput[]> {
  if (!paths.includes(STDIO_NAME)) return paths.map((text) => ({ text }));
  if (paths.length > 1) {
    throw new UserError('"-" must be the only argument', {
      hint: "Give paths as arguments, or pipe them one per line into vmsport path -.",
    });
  }
  const text = (await readStdin(context.io.stdin)).toString("utf8");
  const inputs: PathInput[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    const path = line.endsWith("\r") ? line.slice(0, -1) : line;
    // Blank lines carry no path, so they are skipped rather than rejected as empty paths.
    if (path.trim() !== "") inputs.push({ text: path, line: index + 1 });
  }
  return inputs;
}

function checkCaseOption(options: PathOptions): void {
  if (options.case === undefined) return;
  const allowed = options.toUnix ? ["lower", "preserve"] : ["upper", "preserve"];
  if (!allowed.includes(options.case)) {
    throw new UserError(
      `--case ${options.case} is not valid ${options.toUnix ? "with" : "without"} --to-unix`,
      {
        hint: `Use --case ${allowed.join(" or --case ")}.`,
      },
    );
  }
}

function translate(input: PathInput, options: PathOptions): PathResult {
  try {
    if (options.toUnix) {
      const output = vmsToUnix(input.text, {
        case: options.case === "preserve" ? "preserve" : "lower",
        keepVersion: options.keepVersion === true,
        roots: options.rootLogical ?? [],
        crtlSpecialNames: options.crtlNames,
      });
      return { input: input.text, output, problems: [] };
    }
    const result = unixToVms(input.text, {
      ods: options.ods === "2" ? 2 : 5,
      case: options.case === "upper" || options.case === "preserve" ? options.case : undefined,
      roots: options.rootLogical ?? [],
      crtlSpecialNames: options.crtlNames,
    });
    return { input: input.text, output: result.spec, problems: result.problems };
  } catch (error) {
    // Standard input has lines, so the error can point at the line and column of the bad specification.
    if (input.line !== undefined && error instanceof UserError) {
      const column = error instanceof InvalidFileSpecError ? error.column : undefined;
      throw new UserError(error.message, {
        location: { file: STDIO_NAME, line: input.line, column },
        hint: error.hint,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Translates every input before writing anything, so that an invalid one stops the command with exit code 2
 * and no partial output. Problems go to standard error in text mode, one line each, and make the exit code 1.
 */
async function runPath(context: CommandContext, paths: string[], options: PathOptions): Promise<number> {
  checkCaseOption(options);
  const inputs = await readInputs(context, paths);
  const results = inputs.map((input) => translate(input, options));

  if (options.format === "json") {
    context.io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    context.io.stdout.write(results.map((result) => `${result.output}\n`).join(""));
    for (const result of results) {
      for (const problem of result.problems) context.io.stderr.write(`${result.input}: ${problem.message}\n`);
    }
  }

  const problemCount = results.reduce((count, result) => count + result.problems.length, 0);
  if (problemCount > 0)
    context.logger.verbose(`${problemCount} name problem(s) in ${results.length} path(s)`);
  return problemCount > 0 ? ExitCode.problems : ExitCode.ok;
}
