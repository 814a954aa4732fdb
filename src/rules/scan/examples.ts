/**
 * Running a scanner rule's examples: every `fire` example must produce exactly its expected findings of the
 * rule, every `pass` example none. The detail of a failure lists expected and actual findings.
 */

import type { Finding } from "../../model/finding.js";
import { type SourceInput, scanSources } from "../../scan/scan-source.js";
import type { ScanSourceOptions } from "../../scan/types.js";
import type { RuleExampleResult } from "../types.js";
import type { ExpectedFinding, FireExample, RuleExample, ScanRule } from "./model.js";

const DEFAULT_FILE = "example.c";

function inputsOf(example: RuleExample): SourceInput[] {
  if (example.files) return example.files.map((file) => ({ path: file.path, content: file.code ?? "" }));
  return [{ path: example.file ?? DEFAULT_FILE, content: example.code ?? "" }];
}

function optionsOf(example: RuleExample): ScanSourceOptions {
  const options = example.options ?? {};
  return {
    ...(options.vmsVersion ? { vmsVersion: options.vmsVersion } : {}),
    ...(options.target ? { target: options.target } : {}),
    ...(options.ods ? { ods: options.ods } : {}),
    ...(options.pointerSize ? { pointerSize: options.pointerSize } : {}),
    ...(options.define ? { define: options.define } : {}),
    ...(options.undefine ? { undefine: options.undefine } : {}),
    ...(options.includeInactive ? { includeInactive: true } : {}),
  };
}

/** Line and column of the first occurrence of `marker` in the example's files. */
function locateMarker(
  inputs: SourceInput[],
  marker: string,
): { path: string; line: number; column: number } | undefined {
  for (const input of inputs) {
    const text = input.content.toString();
    const offset = text.indexOf(marker);
    if (offset < 0) continue;
    const before = text.slice(0, offset);
    const lines = before.split(/\r\n|\r|\n/);
    return { path: input.path, line: lines.length, column: [...(lines.at(-1) ?? "")].length + 1 };
  }
  return undefined;
}

function expectationsOf(example: FireExample): ExpectedFinding[] {
  if (example.expect) return example.expect;
  const single: ExpectedFinding = {};
  if (example.line !== undefined) single.line = example.line;
  if (example.column !== undefined) single.column = example.column;
  if (example.marker !== undefined) single.marker = example.marker;
  if (example.severity !== undefined) single.severity = example.severity;
  if (example.confidence !== undefined) single.confidence = example.confidence;
  return [single];
}

const describeFinding = (finding: Finding) =>
  `${finding.path}:${finding.line}:${finding.column} ${finding.severity}/${finding.confidence} "${finding.message}"`;

function describeExpected(
  expected: ExpectedFinding,
  resolved: { path?: string; line?: number; column?: number },
): string {
  const parts = [
    `${resolved.path ?? expected.file ?? "*"}:${resolved.line ?? "?"}${resolved.column !== undefined ? `:${resolved.column}` : ""}`,
  ];
  if (expected.marker) parts.push(`at marker ${JSON.stringify(expected.marker)}`);
  if (expected.severity) parts.push(expected.severity);
  if (expected.confidence) parts.push(`confidence ${expected.confidence}`);
  return parts.join(" ");
}

/** Run every example of `rule`; `allRules` is the rule set the examples are scanned with. */
export function runScanRuleExamples(rule: ScanRule, allRules: readonly ScanRule[]): RuleExampleResult[] {
  const results: RuleExampleResult[] = [];
  const base = { ruleId: rule.id, file: rule.file, ...(rule.line !== undefined ? { line: rule.line } : {}) };

  rule.examples.fire.forEach((example, index) => {
    const label = `fire example ${index + 1}`;
    const inputs = inputsOf(example);
    const actual = findingsOf(rule, inputs, example, allRules);
    const problems: string[] = [];
    const unmatched = [...actual];
    const expectations = expectationsOf(example);
    for (const expected of expectations) {
      const marker = expected.marker ? locateMarker(inputs, expected.marker) : undefined;
      if (expected.marker && !marker) {
        problems.push(`marker ${JSON.stringify(expected.marker)} does not occur in the example`);
        continue;
      }
      const want = {
        path: expected.file ?? marker?.path,
        line: expected.line ?? marker?.line,
        column: expected.column ?? marker?.column,
      };
      const position = unmatched.findIndex(
        (finding) =>
          (want.path === undefined || finding.path === want.path) &&
          (want.line === undefined || finding.line === want.line) &&
          (want.column === undefined || finding.column === want.column) &&
          (expected.severity === undefined || finding.severity === expected.severity) &&
          (expected.confidence === undefined || finding.confidence === expected.confidence),
      );
      if (position < 0) problems.push(`missing: ${describeExpected(expected, want)}`);
      else unmatched.splice(position, 1);
    }
    for (const extra of unmatched) problems.push(`unexpected: ${describeFinding(extra)}`);
    results.push({
      ...base,
      ok: problems.length === 0,
      ...(problems.length > 0 ? { detail: `${label}: ${problems.join("; ")}${describeAll(actual)}` } : {}),
    });
  });

  rule.examples.pass.forEach((example, index) => {
    const actual = findingsOf(rule, inputsOf(example), example, allRules);
    results.push({
      ...base,
      ok: actual.length === 0,
      ...(actual.length > 0
        ? {
            detail: `pass example ${index + 1}: expected no ${rule.id} finding, got ${actual.map(describeFinding).join("; ")}`,
          }
        : {}),
    });
  });
  return results;
}

function describeAll(actual: Finding[]): string {
  return actual.length === 0
    ? " (the rule produced no finding)"
    : ` (all findings: ${actual.map(describeFinding).join("; ")})`;
}

function findingsOf(
  rule: ScanRule,
  inputs: SourceInput[],
  example: RuleExample,
  allRules: readonly ScanRule[],
): Finding[] {
  const result = scanSources(inputs, allRules, optionsOf(example));
  return result.findings.filter((finding) => finding.ruleId === rule.id && !finding.suppression);
}
