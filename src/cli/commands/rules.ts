import type { Command } from "commander";
import { Option } from "commander";
import { listCrtlRules, testCrtlRuleFile } from "../../adapt/index.js";
import { explainRule, listScanRules } from "../../report/index.js";
import { type RuleFamily, ruleFileFamily } from "../../rules/kind.js";
import { runScanRuleExamples } from "../../rules/scan/examples.js";
import { loadScanRules, readScanRuleFile } from "../../rules/scan/load.js";
import { listTranslateRules, testTranslateRuleFile } from "../../rules/translate/index.js";
import type { RuleExampleResult, RuleSummary } from "../../rules/types.js";
import { ExitCode, UserError } from "../../util/errors.js";
import { writeOutput } from "../../util/io.js";
import { type CommandContext, layeredRuleFiles } from "../context.js";
import type { Wrap } from "./index.js";

interface ListOptions {
  family?: RuleFamily;
  rules?: string[];
  format: "text" | "json";
}

interface TestOptions {
  format: "text" | "json";
}

interface ExplainOptions {
  rules?: string[];
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function familyRules(
  context: CommandContext,
  family: RuleFamily,
  cliFiles: string[] | undefined,
): RuleSummary[] {
  switch (family) {
    case "translate":
      return listTranslateRules(layeredRuleFiles(context, cliFiles, "translate"));
    case "scan":
      return listScanRules(loadScanRules(layeredRuleFiles(context, cliFiles, "scan")));
    case "crtl":
      return listCrtlRules(layeredRuleFiles(context, cliFiles, "crtl"));
  }
}

/** Split `--rules` files by family so that `rules list --rules a.yaml --rules b.yaml` may mix families. */
function cliFilesOf(files: string[] | undefined, family: RuleFamily): string[] {
  return (files ?? []).filter((file) => ruleFileFamily(file) === family);
}

function renderList(rules: readonly RuleSummary[], cwd: string): string {
  const width = Math.max(2, ...rules.map((rule) => rule.id.length));
  const familyWidth = Math.max(6, ...rules.map((rule) => rule.family.length));
  return rules
    .map((rule) => {
      const where = `${relativeTo(rule.file, cwd)}${rule.line !== undefined ? `:${rule.line}` : ""}`;
      return `${rule.id.padEnd(width)}  ${rule.family.padEnd(familyWidth)}  ${rule.title}  (${where})`;
    })
    .join("\n");
}

function relativeTo(file: string, cwd: string): string {
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}

function testFile(file: string): RuleExampleResult[] {
  switch (ruleFileFamily(file)) {
    case "translate":
      return testTranslateRuleFile(file);
    case "crtl":
      return testCrtlRuleFile(file);
    case "scan": {
      // Examples of a user's scanner rule run together with the built-in rules, as they would in a scan.
      const own = readScanRuleFile(file);
      const ownIds = new Set(own.map((rule) => rule.id));
      const all = [...loadScanRules().filter((rule) => !ownIds.has(rule.id)), ...own];
      return own.flatMap((rule) => runScanRuleExamples(rule, all));
    }
  }
}

export function registerRulesCommand(program: Command, wrap: Wrap): void {
  const rules = program
    .command("rules")
    .description("list, test and explain the rules that drive translation, scanning and config.h adaptation");

  rules
    .command("list")
    .description("list the rules in force, with the file each comes from")
    .addOption(new Option("--family <family>", "only this family").choices(["translate", "scan", "crtl"]))
    .option("--rules <file>", "add a rule file over the built-in rules (repeatable)", collect)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("-o, --output <file>", "write the list to a file instead of standard output")
    .option("--force", "replace an existing output file")
    .action(
      wrap(async (context, options: ListOptions & { output?: string; force?: boolean }) => {
        const families: RuleFamily[] = options.family ? [options.family] : ["translate", "scan", "crtl"];
        const summaries = families.flatMap((family) =>
          familyRules(context, family, cliFilesOf(options.rules, family)),
        );
        const text =
          options.format === "json"
            ? `${JSON.stringify(summaries, null, 2)}\n`
            : `${renderList(summaries, context.io.cwd)}\n`;
        await writeOutput(options.output, text, { force: options.force === true }, context.io.stdout);
        context.logger.info(`${summaries.length} rules`);
        return ExitCode.ok;
      }),
    );

  rules
    .command("test")
    .description("run the examples of every rule in the given rule files")
    .argument("<file...>", "rule files of any family; the top-level kind says which")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action(
      wrap(async (context, files: string[], options: TestOptions) => {
        const results = files.flatMap((file) => testFile(file));
        const failed = results.filter((result) => !result.ok);
        if (options.format === "json") {
          context.io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        } else {
          for (const result of failed) {
            const where = `${result.file}${result.line !== undefined ? `:${result.line}` : ""}`;
            context.io.stdout.write(
              `${where}: ${result.ruleId}: example failed\n  ${(result.detail ?? "").replace(/\n/g, "\n  ")}\n`,
            );
          }
          context.io.stdout.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
        }
        if (results.length === 0) {
          throw new UserError("the rule files contain no examples", {
            location: { file: files[0] ?? "" },
            hint: "Give every rule at least one example, so that a change that breaks it is noticed.",
          });
        }
        return failed.length === 0 ? ExitCode.ok : ExitCode.problems;
      }),
    );

  rules
    .command("explain")
    .description("explain a scanner rule: the problem, why it breaks on OpenVMS, what to do instead")
    .argument("<id>", "rule id, for example VMS1001")
    .option("--rules <file>", "add a scanner rule file over the built-in rules (repeatable)", collect)
    .action(
      wrap(async (context, id: string, options: ExplainOptions) => {
        const all = loadScanRules(layeredRuleFiles(context, options.rules, "scan"));
        const requested = id.toUpperCase();
        const rule = all.find((candidate) => candidate.id === requested);
        if (!rule) {
          const family = requested.slice(0, 4);
          const near = all
            .filter((candidate) => candidate.id.startsWith(family))
            .map((candidate) => candidate.id);
          throw new UserError(`no scanner rule with id ${JSON.stringify(id)}`, {
            hint:
              near.length > 0
                ? `Rules in the same family: ${near.join(", ")}.`
                : "explain covers scanner rules, whose ids look like VMS1001; run `vmsport rules list` to see the translation and CRTL rules with their titles.",
          });
        }
        context.io.stdout.write(explainRule(rule));
        return ExitCode.ok;
      }),
    );
}
