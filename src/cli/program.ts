import { createRequire } from "node:module";
import { Command, CommanderError, Option } from "commander";
import { ExitCode, formatUserError, UserError } from "../util/errors.js";
import { colorLevel, Logger, makeChalk, type Verbosity } from "../util/terminal.js";
import { commandNameOf } from "./command-name.js";
import { COMMAND_NAMES, registerCommands, type Wrap } from "./commands/index.js";
import { loadConfig } from "./config-file.js";
import type { CliIo, CommandContext } from "./context.js";

export { commandNameOf };

const require = createRequire(import.meta.url);
const packageJson = require("../../package.json") as { version: string };

export const VERSION = packageJson.version;

interface GlobalOptions {
  config?: string;
  color: boolean;
  quiet?: boolean;
  verbose?: boolean;
  debug?: boolean;
}

const EXIT_CODES_HELP = `
Exit status:
  0  success
  1  the command worked and found problems: scan findings at or above --fail-on,
     untranslated steps under translate --strict, names ODS-2 cannot hold under
     path --ods 2, failing examples under rules test
  2  invalid usage; an unreadable or invalid input, rule or configuration file;
     or an input that had to be skipped

Input "-" means standard input. Results go to standard output unless -o/--output
names a file; an existing file is replaced only with --force. Diagnostics go to
standard error. Colour follows NO_COLOR, FORCE_COLOR and --no-color.`;

/**
 * Run the command line and return the exit code. Never throws: a UserError becomes one message on standard
 * error and exit code 2; an unexpected error is reported as an internal error, with its stack under --debug.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let debug = argv.includes("--debug");
  const program = new Command();
  const stderrColor = () => makeChalk(colorLevel(io.stderr, io.env, argv.includes("--no-color")));

  program
    .name("vmsport")
    .description(
      "Port Unix C/C++ builds to OpenVMS: parse build logs, translate them to DCL and MMS, scan sources, adapt config.h.",
    )
    .version(VERSION, "-V, --version", "print the version and exit")
    .helpOption("-h, --help", "show help for a command")
    .option(
      "-c, --config <file>",
      "configuration file (default: vmsport.config.json or .yaml found from the current directory up to the repository root)",
    )
    .option("--no-color", "never colour the output (NO_COLOR and FORCE_COLOR are honoured too)")
    .addOption(new Option("-q, --quiet", "print results only, no messages").conflicts(["verbose", "debug"]))
    .option("--verbose", "print progress and details")
    .option("--debug", "print internal tracing for bug reports")
    .addHelpText("after", EXIT_CODES_HELP)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) =>
        write(`${stderrColor().red.bold("error")}: ${text.replace(/^error: /, "")}`),
    });

  /** Wrap a command's action so that it gets the context and records the exit code. */
  const wrap: Wrap =
    (action) =>
    async (...args) => {
      const globals = program.opts<GlobalOptions>();
      debug = globals.debug === true;
      const verbosity: Verbosity = globals.debug
        ? "debug"
        : globals.verbose
          ? "verbose"
          : globals.quiet
            ? "quiet"
            : "normal";
      const noColor = globals.color === false;
      const logger = new Logger(io.stderr, verbosity, makeChalk(colorLevel(io.stderr, io.env, noColor)));
      const config = await loadConfig(globals.config, io.cwd);
      if (config.file) logger.debug("cli", `configuration file ${config.file}`);
      const context: CommandContext = {
        io,
        logger,
        stdoutColor: makeChalk(colorLevel(io.stdout, io.env, noColor)),
        config,
      };
      exitCode = await action(context, ...args);
    };

  await registerCommands(program, wrap, commandsToRegister(argv));

  try {
    await program.parseAsync(argv as string[], { from: "user" });
  } catch (error) {
    return reportError(error, io, debug, stderrColor());
  }
  return exitCode;
}

/**
 * Commands to register for a command line: only the one it runs, none for a bare --version, and all of them
 * for the top-level help, a missing command and an unknown one (so commander can suggest a name).
 */
function commandsToRegister(argv: readonly string[]): readonly string[] {
  const name = commandNameOf(argv);
  if (name !== undefined && COMMAND_NAMES.includes(name)) return [name];
  const wantsVersion = argv.includes("-V") || argv.includes("--version");
  const wantsHelp = argv.includes("-h") || argv.includes("--help") || argv.includes("help");
  if (name === undefined && wantsVersion && !wantsHelp) return [];
  return COMMAND_NAMES;
}

function reportError(error: unknown, io: CliIo, debug: boolean, color: ReturnType<typeof makeChalk>): number {
  if (error instanceof CommanderError) {
    // Help and version requests end through exitOverride too; they are successes.
    if (error.exitCode === 0) return ExitCode.ok;
    return ExitCode.usage;
  }
  if (error instanceof UserError) {
    io.stderr.write(`${color.red.bold("error")}: ${formatUserError(error)}\n`);
    return ExitCode.usage;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EPIPE") return ExitCode.ok;
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(
    `${color.red.bold("internal error")}: ${message}\n  This is a bug in vmsport. Please report it with the command line and, if you can, the input.\n`,
  );
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write("  Run again with --debug to see where it happened.\n");
  return ExitCode.usage;
}
