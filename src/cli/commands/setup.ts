import path from "node:path";
import { type Command, Option } from "commander";
import type { SetupProfile } from "../../adapt/index.js";
import {
  assertBuildOutput,
  featureSettings,
  generateInitSource,
  generateSetup,
  loadCrtlKnowledgeBase,
  setupSummary,
} from "../../adapt/index.js";
import { checkProcedure } from "../../dcl/index.js";
import { DEFAULT_ROOT_LOGICAL } from "../../emit/index.js";
import { parseLogText } from "../../log/index.js";
import { ExitCode, UserError } from "../../util/errors.js";
import { type OutputFile, readInput, STDIO_NAME, writeFilesAtomically, writeOutput } from "../../util/io.js";
import { type CommandContext, resolveSetting } from "../context.js";
import type { Wrap } from "./index.js";

interface SetupCommandOptions {
  output?: string;
  force?: boolean;
  rootLogical?: string;
  sourceRoot?: string;
  directory?: string;
  profile?: SetupProfile;
  initC?: string;
}

const LOGICAL_NAME = /^[A-Za-z$_][A-Za-z0-9$_]{0,254}$/;

export function registerSetupCommand(program: Command, wrap: Wrap): void {
  program
    .command("setup")
    .description(
      "write a DCL procedure that defines foreign commands, shareable image logical names and CRTL feature logicals for a build",
    )
    .argument("<log>", 'Unix build log; "-" reads standard input')
    .option(
      "-o, --output <file>",
      "write the procedure to this file (for example SETUP.COM) instead of standard output",
    )
    .option("--force", "replace existing output files")
    .option(
      "--root-logical <name>",
      `logical name for the source root, as in vmsport translate (default ${DEFAULT_ROOT_LOGICAL})`,
    )
    .option(
      "--source-root <dir>",
      "Unix directory that the root logical translates to; give the same one as to vmsport translate (default: the deepest directory containing every step directory, or every absolute source)",
    )
    .option(
      "--directory <dir>",
      "absolute Unix directory the build ran in, for the steps before the log names one; give the same one as to vmsport translate",
    )
    .addOption(
      new Option(
        "--profile <profile>",
        "CRTL feature logicals to define: unix (Unix-like behaviour) or minimal (none)",
      ).choices(["unix", "minimal"]),
    )
    .option("--init-c <file>", "also write a C source whose LIB$INITIALIZE routine sets the same features")
    .action(
      wrap(async (context: CommandContext, log: string, options: SetupCommandOptions) =>
        runSetup(context, log, options),
      ),
    );
}

async function runSetup(context: CommandContext, log: string, options: SetupCommandOptions): Promise<number> {
  const { settings, directory } = context.config;
  // The translate settings are the fallback, so that both procedures agree on the root when the
  // configuration file sets it for translate only.
  const rootLogical = resolveSetting(
    options.rootLogical,
    settings.setup?.rootLogical ?? settings.translate?.rootLogical,
    DEFAULT_ROOT_LOGICAL,
  ).replace(/:$/, "");
  if (!LOGICAL_NAME.test(rootLogical)) {
    throw new UserError(`invalid logical name "${rootLogical}"`, {
      hint: "Use 1 to 255 letters, digits, $ or _, not starting with a digit, for example SRC$ROOT.",
    });
  }
  const sourceRoot = resolveSetting(
    options.sourceRoot,
    settings.setup?.sourceRoot ?? settings.translate?.sourceRoot,
    undefined,
  );
  if (sourceRoot !== undefined && !sourceRoot.startsWith("/")) {
    throw new UserError(`the source root "${sourceRoot}" is not an absolute Unix directory`, {
      hint: "Give the directory as the log names it, for example /home/user/src/zlib.",
    });
  }
  // translate.directory serves both commands, so that their procedures name the same directories.
  const buildDirectory = resolveSetting(options.directory, settings.translate?.directory, undefined);
  if (buildDirectory !== undefined && !buildDirectory.startsWith("/")) {
    throw new UserError(`the build directory "${buildDirectory}" is not an absolute Unix directory`, {
      hint: "Give the directory the build ran in as the build machine names it, for example /home/user/src/zlib/build.",
    });
  }
  const profile = resolveSetting(options.profile, settings.setup?.profile, "unix");
  const knowledge = loadCrtlKnowledgeBase(
    (settings.rules ?? []).map((rule) => path.resolve(directory, rule)),
  );

  const bytes = await readInput(log, "build log");
  const parsed = parseLogText(bytes, {
    file: log,
    ...(buildDirectory === undefined ? {} : { initialDirectory: buildDirectory }),
  });
  assertBuildOutput(parsed, log);
  const result = generateSetup(parsed.steps, knowledge, {
    rootLogical,
    profile,
    ...(sourceRoot === undefined ? {} : { sourceRoot }),
    logName: log === STDIO_NAME ? "standard input" : path.basename(log),
  });

  const issues = checkProcedure(result.text, { symbols: result.symbols });
  for (const issue of issues)
    context.logger.warn(`generated procedure, record ${issue.record}: ${issue.message} (${issue.code})`);
  for (const warning of result.report.warnings) context.logger.warn(warning);

  const files: OutputFile[] = [];
  if (options.output !== undefined && options.output !== STDIO_NAME)
    files.push({ path: options.output, content: result.text });
  if (options.initC !== undefined) {
    files.push({
      path: options.initC,
      content: generateInitSource(featureSettings(knowledge, profile), path.basename(options.initC)),
    });
  }
  if (files.length > 0) await writeFilesAtomically(files, { force: options.force === true });
  if (options.output === undefined || options.output === STDIO_NAME) {
    await writeOutput(undefined, result.text, { force: false }, context.io.stdout);
  }
  context.logger.info(setupSummary(result.report));
  return issues.some((issue) => issue.severity === "error") ? ExitCode.problems : ExitCode.ok;
}
