import { describe, expect, it } from "vitest";
import { explainRule, listScanRules } from "../../src/report/explain.js";
import type { ScanRule } from "../../src/rules/scan/model.js";

const forkRule: ScanRule = {
  id: "VMS1001",
  title: "fork() does not exist on OpenVMS",
  family: "processes",
  severity: "error",
  confidence: "high",
  message: "{name}() is not provided by the OpenVMS C run-time library.",
  rationale: "The CRTL has no fork().",
  alternative: "Use vfork() followed by an exec function.",
  exceptions: "Code inside `#ifndef __VMS` is not reported.",
  references: [{ title: "HELP CRTL vfork", url: "https://example.org/vfork" }, { title: "Perl pp_sys.c" }],
  match: { call: { names: ["fork"] } },
  examples: {
    fire: [{ code: "pid_t p = fork();\n", line: 1, options: { vmsVersion: "8.4" } }],
    pass: [{ code: "int n_forks;\n" }],
  },
  kind: "call",
  file: "rules/scan/processes.yaml",
  line: 5,
};

const pipeRule: ScanRule = {
  ...forkRule,
  id: "VMS2003",
  title: "pipe() creates a mailbox",
  family: "io",
  severity: "info",
  severityOverrides: [{ when: { functionMentions: ["O_NONBLOCK"] }, severity: "warning" }],
  match: { call: { names: ["pipe"] } },
  file: "rules/scan/io.yaml",
  line: 80,
};

describe("explainRule", () => {
  const text = explainRule(forkRule, { helpUriBase: "https://docs.example.org/rules" });

  it("starts with id and title", () => {
    expect(text.split("\n")[0]).toBe("VMS1001: fork() does not exist on OpenVMS");
  });

  it("has every section in order", () => {
    const headings = text.split("\n").filter((line) => /^[A-Z][A-Za-z ]+$/.test(line));
    expect(headings).toEqual([
      "Problem",
      "Why it breaks on OpenVMS",
      "OpenVMS alternative",
      "Exceptions",
      "Severity",
      "Examples",
      "References",
    ]);
  });

  it("fills the message placeholder", () => {
    expect(text).toContain("Message: fork() is not provided by the OpenVMS C run-time library.");
  });

  it("drops Markdown code marks", () => {
    expect(text).toContain("Code inside #ifndef __VMS is not reported.");
  });

  it("shows example options as flags", () => {
    expect(text).toContain("Reported with --vms-version 8.4:\n      pid_t p = fork();");
  });

  it("links the documentation page", () => {
    expect(text.trimEnd().endsWith("Documentation: https://docs.example.org/rules/VMS1001.md")).toBe(true);
  });

  it("describes conditional severity", () => {
    expect(explainRule(pipeRule)).toContain(
      "Info (confidence high); warning when the enclosing function uses O_NONBLOCK.",
    );
  });
});

describe("listScanRules", () => {
  const summaries = listScanRules([pipeRule, forkRule]);

  it("sorts by id", () => {
    expect(summaries.map((summary) => summary.id)).toEqual(["VMS1001", "VMS2003"]);
  });

  it("names family and kind", () => {
    expect(summaries[0]).toEqual({
      id: "VMS1001",
      family: "scan/call",
      title: "fork() does not exist on OpenVMS",
      file: "rules/scan/processes.yaml",
      line: 5,
    });
  });
});
