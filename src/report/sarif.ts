import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding, Severity } from "../model/finding.js";
import type { ScanRule } from "../rules/scan/model.js";
import type { ScanResult } from "../scan/types.js";
import { comparePaths, compareText, helpUriOf, PROJECT_URI, sortFindings } from "./common.js";
import type { FormatOptions } from "./types.js";

/** SARIF 2.1.0 (OASIS standard, with errata 01) as the published JSON schema names it. */
export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/** Key of the vmsport fingerprint inside `partialFingerprints`. Its `/v1` changes when the hash input changes. */
export const FINGERPRINT_KEY = "vmsport/v1";

/** Id of the notification that reports a skipped file, shared with the rule catalogue's VMS0002. */
const SKIP_NOTIFICATION_ID = "VMS0002";

const LEVEL_OF: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};

type Json = Record<string, unknown>;

/**
 * SARIF rule names are Pascal-case identifiers, so `fork() does not exist on OpenVMS` becomes
 * `ForkDoesNotExistOnOpenvms`. Runs of capitals are lowered because validators reject them.
 */
export function ruleNameOf(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "")
    .map((word) => `${word[0]?.toUpperCase()}${word.slice(1).toLowerCase()}`)
    .join("");
}

/** Percent-encodes each path segment so that spaces, `#` and `%` in file names keep the URI valid. */
/** Rewrite a path relative to the current directory as one relative to the repository's top. */
function fromTop(filePath: string, base: string): string {
  return base === "" ? filePath : path.posix.normalize(path.posix.join(base, filePath));
}

export function relativeUriOf(filePath: string): string {
  return filePath
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

/** The subset of a rule that a SARIF descriptor shows. Findings of unknown rules get a bare one. */
type DescribedRule = Pick<ScanRule, "id" | "title" | "severity"> &
  Partial<Pick<ScanRule, "confidence" | "rationale" | "alternative" | "family">>;

function ruleDescriptor(rule: DescribedRule, options: FormatOptions): Json {
  const helpUri = helpUriOf(rule.id, options);
  const helpText = [rule.rationale, rule.alternative ? `OpenVMS alternative: ${rule.alternative}` : undefined]
    .filter((part): part is string => part !== undefined && part !== "")
    .join("\n\n");
  // GitHub code scanning shows the Markdown form, where the rule texts' code spans keep their meaning.
  const helpMarkdown = [
    rule.rationale,
    rule.alternative ? `**OpenVMS alternative:** ${rule.alternative}` : undefined,
  ]
    .filter((part): part is string => part !== undefined && part !== "")
    .join("\n\n");
  const descriptor: Json = {
    id: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale || rule.title },
    helpUri,
    help: { text: helpText || rule.title, markdown: helpMarkdown || rule.title },
    defaultConfiguration: { level: LEVEL_OF[rule.severity] },
  };
  // A rule known only from a finding has its id as title, and SARIF forbids a name equal to the id.
  if (rule.title !== rule.id) descriptor.name = ruleNameOf(rule.title);
  // GitHub code scanning reads `precision` (very-high, high, medium, low) and `tags` from these properties.
  const properties: Json = {
    tags: rule.family ? ["portability", "openvms", rule.family] : ["portability", "openvms"],
  };
  if (rule.confidence) properties.precision = rule.confidence;
  descriptor.properties = properties;
  return descriptor;
}

/**
 * The rules a run describes: every rule given in the options, plus a bare descriptor for each rule id that a
 * finding uses but the options lack, because every `ruleIndex` must point into this array.
 */
function collectRules(findings: readonly Finding[], scanRules: readonly ScanRule[]): DescribedRule[] {
  const known = new Set<string>();
  const rules: DescribedRule[] = [];
  for (const rule of scanRules) {
    if (rule.id === SKIP_NOTIFICATION_ID || known.has(rule.id)) continue;
    known.add(rule.id);
    rules.push(rule);
  }
  for (const finding of findings) {
    if (known.has(finding.ruleId)) continue;
    known.add(finding.ruleId);
    rules.push({ id: finding.ruleId, title: finding.ruleId, severity: finding.severity });
  }
  return rules.sort((a, b) => compareText(a.id, b.id));
}

function resultOf(finding: Finding, index: number, base: string): Json {
  const region: Json = { startLine: finding.line, startColumn: finding.column };
  if (finding.endLine !== undefined) region.endLine = finding.endLine;
  if (finding.endColumn !== undefined) region.endColumn = finding.endColumn;
  const artifactLocation: Json = { uri: relativeUriOf(fromTop(finding.path, base)), uriBaseId: "SRCROOT" };

  const result: Json = {
    ruleId: finding.ruleId,
    ruleIndex: index,
    level: LEVEL_OF[finding.severity],
    message: { text: finding.message },
    locations: [{ physicalLocation: { artifactLocation, region } }],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };
  if (finding.suppression) {
    const suppression: Json = {
      kind: finding.suppression.kind === "inline" ? "inSource" : "external",
      status: "accepted",
    };
    if (finding.suppression.justification) suppression.justification = finding.suppression.justification;
    result.suppressions = [suppression];
  }
  const properties: Json = { confidence: finding.confidence };
  if (finding.alternative) properties.alternative = finding.alternative;
  if (finding.context) properties.context = finding.context;
  result.properties = properties;
  return result;
}

function invocationOf(result: ScanResult, options: FormatOptions): Json {
  const base = options.workspaceBase ?? "";
  const notifications = [...result.skipped].sort(comparePaths).map((skip) => {
    const artifactLocation: Json = { uri: relativeUriOf(fromTop(skip.path, base)), uriBaseId: "SRCROOT" };
    return {
      level: "warning",
      message: { text: `File skipped (${skip.reason})${skip.detail ? `: ${skip.detail}` : ""}.` },
      locations: [{ physicalLocation: { artifactLocation } }],
      descriptor: { id: SKIP_NOTIFICATION_ID, index: 0 },
    };
  });
  const invocation: Json = {
    // Exit code 2 means the scan itself was incomplete (skipped files, bad input), not that findings exist.
    executionSuccessful: options.exitCode === undefined || options.exitCode < 2,
  };
  if (options.exitCode !== undefined) invocation.exitCode = options.exitCode;
  if (options.commandLine !== undefined) invocation.commandLine = options.commandLine;
  if (notifications.length > 0) invocation.toolExecutionNotifications = notifications;
  return invocation;
}

/** Builds the SARIF log as an object, which `formatSarif` serialises. */
export function buildSarifLog(result: ScanResult, options: FormatOptions = {}): Json {
  const findings = sortFindings(result.findings);
  const rules = collectRules(findings, result.rules);
  const indexOf = new Map(rules.map((rule, index) => [rule.id, index]));

  const driver: Json = {
    name: "vmsport",
    informationUri: PROJECT_URI,
    rules: rules.map((rule) => ruleDescriptor(rule, options)),
    notifications: [
      {
        id: SKIP_NOTIFICATION_ID,
        name: "FileSkipped",
        shortDescription: { text: "A file was not scanned." },
        fullDescription: {
          text: "The file was binary, unreadable, larger than --max-file-size, missing, or a symbolic link loop.",
        },
        defaultConfiguration: { level: "warning" },
      },
    ],
  };
  if (options.toolVersion !== undefined) driver.version = options.toolVersion;

  // SARIF requires the base URI of a uriBaseId to be absolute and to end with a slash. SRCROOT is the top of
  // the repository when the scan found one, so that code-scanning services see the same path from any
  // directory the scan runs in.
  const base = options.workspaceBase ?? "";
  const top =
    base === ""
      ? result.baseDirectory
      : path.resolve(result.baseDirectory, ...base.split("/").map(() => ".."));
  const href = pathToFileURL(path.resolve(top)).href;
  const run: Json = {
    tool: { driver },
    invocations: [invocationOf(result, options)],
    originalUriBaseIds: { SRCROOT: { uri: href.endsWith("/") ? href : `${href}/` } },
    results: findings.map((finding) => resultOf(finding, indexOf.get(finding.ruleId) ?? 0, base)),
    columnKind: "unicodeCodePoints",
    properties: { summary: result.summary },
  };

  return { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] };
}

/** Formats a scan as a SARIF 2.1.0 log with one run, in which suppressed findings carry `suppressions`. */
export function formatSarif(result: ScanResult, options: FormatOptions = {}): string {
  return `${JSON.stringify(buildSarifLog(result, options), null, 2)}\n`;
}
