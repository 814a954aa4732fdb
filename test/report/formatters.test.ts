import { readFileSync } from "node:fs";
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import {
  escapeCommandData,
  escapeCommandProperty,
  FINGERPRINT_KEY,
  formatFindings,
  JSON_SCHEMA_VERSION,
  quoteCsvField,
  REPORT_FORMATS,
} from "../../src/report/index.js";
import { formatTextSummary } from "../../src/report/text.js";
import type { ScanResult } from "../../src/scan/types.js";
import { UserError } from "../../src/util/errors.js";

const fixtureUrl = new URL("../../fixtures/report/scan-result.json", import.meta.url);

function loadResult(): ScanResult {
  return JSON.parse(readFileSync(fixtureUrl, "utf8")) as ScanResult;
}

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks) into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else {
      field += char;
    }
  }
  return rows;
}

describe("formatFindings", () => {
  it("rejects an unknown format", () => {
    expect(() => formatFindings("xml", loadResult())).toThrow(UserError);
  });

  it("keeps the input order", () => {
    const result = loadResult();
    const before = result.findings.map((finding) => finding.fingerprint);
    for (const format of REPORT_FORMATS) formatFindings(format, result);
    expect(result.findings.map((finding) => finding.fingerprint)).toEqual(before);
  });
});

describe("gcc format", () => {
  const lines = formatFindings("gcc", loadResult()).trimEnd().split("\n");

  it("sorts by path, line, column, rule", () => {
    expect(lines.map((line) => line.slice(0, line.indexOf(": ")))).toEqual([
      "lib/io, misc.c:7:22",
      "src/main.c:3:5",
      "src/main.c:12:15",
      "src/net.c:2:10",
      "src/net.c:40:5",
    ]);
  });

  it("writes severity, message and rule id", () => {
    expect(lines[2]).toBe(
      "src/main.c:12:15: error: fork() is not provided by the OpenVMS C run-time library. [VMS1001]",
    );
  });

  it("keeps a multi-line message on one line", () => {
    expect(lines[1]).toBe(
      'src/main.c:3:5: error: The command passed to system() uses "rm -rf" and && chains. [VMS1003]',
    );
  });

  it("omits suppressed findings", () => {
    expect(lines.some((line) => line.includes("VMS1005"))).toBe(false);
  });
});

describe("github format", () => {
  const lines = formatFindings("github", loadResult()).trimEnd().split("\n");

  it("maps info to notice", () => {
    expect(lines[0]?.startsWith("::notice file=lib/io%2C misc.c,line=7,col=22,")).toBe(true);
  });

  it("escapes newlines in the message", () => {
    expect(lines[1]).toBe(
      '::error file=src/main.c,line=3,col=5,title=VMS1003 Shell syntax or Unix utilities in a command string::The command passed to system() uses "rm -rf"%0Aand && chains.',
    );
  });

  it("writes the end position of one-line ranges", () => {
    expect(lines[2]).toContain(
      ",line=12,col=15,endLine=12,endColumn=19,title=VMS1001 fork() does not exist on OpenVMS::",
    );
  });

  it("escapes percent signs in the message", () => {
    expect(lines[4]?.endsWith("use ioctl(FIONBIO), 100%25 of the time")).toBe(true);
  });

  it("falls back to the rule id as title", () => {
    expect(lines[0]).toContain(",title=VMS3002::");
  });

  it("omits suppressed findings", () => {
    expect(lines).toHaveLength(5);
  });
});

describe("workflow command escaping", () => {
  it("escapes data", () => {
    expect(escapeCommandData("50% done\r\nnext: a,b")).toBe("50%25 done%0D%0Anext: a,b");
  });

  it("escapes properties", () => {
    expect(escapeCommandProperty("C:\\src\\a,b.c\n%")).toBe("C%3A\\src\\a%2Cb.c%0A%25");
  });

  it("escapes percent first", () => {
    expect(escapeCommandProperty("%3A")).toBe("%253A");
  });
});

describe("csv format", () => {
  const text = formatFindings("csv", loadResult());
  const rows = parseCsv(text);

  it("ends every record with CRLF", () => {
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("starts with a header row", () => {
    expect(rows[0]?.slice(0, 8)).toEqual([
      "path",
      "line",
      "column",
      "end_line",
      "end_column",
      "severity",
      "confidence",
      "rule",
    ]);
  });

  it("includes suppressed findings", () => {
    expect(rows).toHaveLength(8);
  });

  it("round-trips a path with a comma", () => {
    expect(rows[1]?.[0]).toBe("lib/io, misc.c");
  });

  it("round-trips quotes and line breaks", () => {
    const message = rows.find((row) => row[7] === "VMS1003")?.[9];
    expect(message).toBe('The command passed to system() uses "rm -rf"\nand && chains.');
  });

  it("marks the suppression kind and justification", () => {
    const suppressed = rows.find((row) => row[7] === "VMS1001" && row[2] === "3");
    expect(suppressed?.slice(12, 14)).toEqual(["inline", "the child only runs a DCL procedure"]);
  });

  it("sorts rules at one position", () => {
    const atLine3 = rows.filter((row) => row[0] === "src/main.c" && row[1] === "3").map((row) => row[7]);
    expect(atLine3).toEqual(["VMS1003", "VMS1005"]);
  });
});

describe("csv quoting", () => {
  const cases: [string, string][] = [
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\ronly", '"cr\ronly"'],
    ["", ""],
  ];
  for (const [input, expected] of cases) {
    it(`quotes ${JSON.stringify(input)}`, () => {
      expect(quoteCsvField(input)).toBe(expected);
    });
  }
});

describe("json format", () => {
  const document = JSON.parse(formatFindings("json", loadResult(), { toolVersion: "0.1.0", exitCode: 1 }));

  it("carries the schema version", () => {
    expect(document.schemaVersion).toBe(JSON_SCHEMA_VERSION);
  });

  it("records the exit code", () => {
    expect(document.exitCode).toBe(1);
  });

  it("sorts findings", () => {
    expect(
      document.findings.map(
        (finding: { ruleId: string; line: number }) => `${finding.ruleId}@${finding.line}`,
      ),
    ).toEqual(["VMS3002@7", "VMS1003@3", "VMS1005@3", "VMS1001@12", "VMS1001@12", "VMS7001@2", "VMS2002@40"]);
  });

  it("keeps suppressed findings with their kind", () => {
    expect(document.findings[2].suppression).toEqual({ kind: "baseline" });
  });

  it("adds titles and help URIs", () => {
    expect(document.findings[3]).toMatchObject({
      title: "fork() does not exist on OpenVMS",
      helpUri: expect.stringMatching(/\/docs\/rules\/VMS1001\.md$/),
    });
  });

  it("lists skipped files sorted", () => {
    expect(document.skipped.map((skip: { path: string }) => skip.path)).toEqual(["big/gen.c", "data/blob.c"]);
  });

  it("includes the summary", () => {
    expect(document.summary.filesScanned).toBe(3);
  });
});

describe("text format", () => {
  const text = formatFindings("text", loadResult());

  it("groups findings under their file", () => {
    expect(text.split("\n").filter((line) => line !== "" && !line.startsWith(" "))).toEqual([
      "lib/io, misc.c",
      "src/main.c",
      "src/net.c",
    ]);
  });

  it("shows the OpenVMS alternative", () => {
    expect(text).toContain("OpenVMS: Use vfork() followed by an exec function.");
  });

  it("points to rules explain", () => {
    expect(text).toContain("More: vmsport rules explain VMS1001");
  });

  it("writes no colour without a chalk instance", () => {
    expect(text).not.toContain("\u001b[");
  });

  it("colours with the given chalk instance", () => {
    const coloured = formatFindings("text", loadResult(), { color: new Chalk({ level: 1 }) });
    expect(coloured).toContain("\u001b[31m");
  });

  it("indents message continuation lines", () => {
    expect(text).toMatch(/"rm -rf"\n {10,}and && chains\./);
  });

  it("marks findings in inactive branches", () => {
    expect(text).toContain("have.  VMS7001 (in a branch inactive on OpenVMS)");
  });

  it("is empty without findings", () => {
    expect(formatFindings("text", { ...loadResult(), findings: [] })).toBe("");
  });
});

describe("text summary", () => {
  const summary = formatTextSummary(loadResult());

  it("adds inactive findings that are not shown", () => {
    const result = loadResult();
    const hidden = {
      ...result,
      findings: result.findings.filter((finding) => finding.context !== "inactive"),
    };
    expect(formatTextSummary(hidden)).toContain(", 1 more in branches inactive on OpenVMS.");
  });

  it("says no findings plainly", () => {
    const result = loadResult();
    const none = {
      ...result,
      findings: [],
      summary: { ...result.summary, findingsBySeverity: { error: 0, warning: 0, info: 0 } },
    };
    expect(formatTextSummary(none)).toMatch(/^No findings, 2 suppressed/m);
  });

  it("counts findings below --min-severity", () => {
    expect(formatTextSummary(loadResult(), { hidden: { count: 2, minSeverity: "warning" } })).toContain(
      "2 findings below --min-severity warning are not shown.",
    );
  });

  it("words skip reasons", () => {
    const result = loadResult();
    const missing = { ...result, skipped: [{ path: "gone.c", reason: "not-found" as const }] };
    expect(formatTextSummary(missing)).toContain("Skipped gone.c: not found");
  });

  it("counts files and skips", () => {
    expect(summary).toContain("Scanned 3 files, skipped 2 (1 binary, 1 too large) in 37 ms.");
  });

  it("counts findings by severity", () => {
    expect(summary).toContain(
      "Found 5 findings (2 errors, 1 warning, 2 info), 2 suppressed, 2 already handled for OpenVMS; 1 of them in branches inactive on OpenVMS.",
    );
  });

  it("lists skipped files", () => {
    expect(summary).toContain("Skipped data/blob.c: binary (NUL byte at offset 12)");
  });
});

describe("sarif format", () => {
  const log = JSON.parse(
    formatFindings("sarif", loadResult(), {
      toolVersion: "0.1.0",
      exitCode: 2,
      commandLine: "vmsport scan .",
    }),
  );
  const run = log.runs[0];

  it("declares version 2.1.0", () => {
    expect(log.version).toBe("2.1.0");
  });

  it("describes every rule a result uses", () => {
    const ids = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    for (const result of run.results) expect(ids[result.ruleIndex]).toBe(result.ruleId);
  });

  it("keeps the skip notification out of rules", () => {
    expect(run.tool.driver.rules.some((rule: { id: string }) => rule.id === "VMS0002")).toBe(false);
  });

  it("gives rules a help URI", () => {
    expect(run.tool.driver.rules[0].helpUri).toMatch(/^https:\/\/.+\/VMS1001\.md$/);
  });

  it("writes fingerprints", () => {
    expect(run.results[3].partialFingerprints).toEqual({
      [FINGERPRINT_KEY]: "11111111111111111111111111111111",
    });
  });

  it("marks inline suppressions as in source", () => {
    expect(run.results[3].suppressions).toEqual([
      { kind: "inSource", status: "accepted", justification: "the child only runs a DCL procedure" },
    ]);
  });

  it("marks baseline suppressions as external", () => {
    expect(run.results[2].suppressions).toEqual([{ kind: "external", status: "accepted" }]);
  });

  it("percent-encodes paths", () => {
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("lib/io%2C%20misc.c");
  });

  it("records the base directory as a file URI", () => {
    expect(run.originalUriBaseIds.SRCROOT.uri).toBe("file:///home/porter/project%20one/");
  });

  it("records the exit code", () => {
    expect(run.invocations[0]).toMatchObject({ exitCode: 2, executionSuccessful: false });
  });

  it("reports skipped files as notifications", () => {
    expect(
      run.invocations[0].toolExecutionNotifications.map(
        (note: { message: { text: string } }) => note.message.text,
      ),
    ).toEqual([
      "File skipped (too-large): 6291456 bytes, limit 1048576.",
      "File skipped (binary): NUL byte at offset 12.",
    ]);
  });

  it("maps info to note", () => {
    expect(run.results[0].level).toBe("note");
  });
});
