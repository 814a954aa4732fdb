/** Reports about `vmsport-ignore` directives: a range left open, and directives of a disabled rule. */
import { describe, expect, it } from "vitest";
import { loadScanRules } from "../../src/rules/scan/load.js";
import { scanSource } from "../../src/scan/scan-source.js";

const rules = loadScanRules();
const directiveReports = (source: string, disable: string[] = []) =>
  scanSource(source, "x.c", rules, { disable }).filter((finding) => finding.ruleId === "VMS0001");

describe("vmsport-ignore-begin without an end", () => {
  const source = [
    "/* vmsport-ignore-begin[VMS1001]: the worker */",
    "int start(void) { return fork(); }",
    "int later(void) { return fork(); }",
    "",
  ].join("\n");

  it("is reported at the directive", () => {
    const [report] = directiveReports(source);
    expect(report?.line).toBe(1);
    expect(report?.message).toContain(
      "has no matching vmsport-ignore-end, so it covers the rest of the file",
    );
  });

  it("still covers the rest of the file", () => {
    const forks = scanSource(source, "x.c", rules).filter((finding) => finding.ruleId === "VMS1001");
    expect(forks.every((finding) => finding.suppression?.kind === "inline")).toBe(true);
  });

  it("says when it suppresses nothing too", () => {
    const [report] = directiveReports("/* vmsport-ignore-begin[VMS1001] */\nint a;\n");
    expect(report?.message).toContain("and suppresses nothing");
  });

  it("is not reported when an end closes it", () => {
    const closed = `${source}/* vmsport-ignore-end[VMS1001] */\n`;
    expect(directiveReports(closed)).toEqual([]);
  });
});

describe("directives of a disabled rule", () => {
  const source = "int a(void) { return fork(); } // vmsport-ignore[VMS1001]: wrapped\n";

  it("are not reported as unused", () => {
    expect(directiveReports(source, ["VMS1001"])).toEqual([]);
  });

  it("are reported when they also name an enabled rule that finds nothing", () => {
    const both = "int a(void) { return fork(); } // vmsport-ignore[VMS1001,VMS1002]: wrapped\n";
    expect(directiveReports(both, ["VMS1001"])).toHaveLength(1);
  });
});

describe("a directive with several ids", () => {
  it("is reported for an id that suppresses nothing", () => {
    const source = "int a(void) { return fork(); } /* vmsport-ignore[VMS1001,VMS1003]: wrapped */\n";
    const [report] = directiveReports(source);
    expect(report?.message).toContain("suppresses nothing for VMS1003");
  });

  it("is not reported when every id suppresses something", () => {
    const source =
      'int a(void) { fork(); return system("ls"); } /* vmsport-ignore[VMS1001,VMS1003]: wrapped */\n';
    expect(directiveReports(source)).toEqual([]);
  });

  it("leaves out an id that --disable switched off", () => {
    const source = "int a(void) { return fork(); } /* vmsport-ignore[VMS1001,VMS1003]: wrapped */\n";
    expect(directiveReports(source, ["VMS1003"])).toEqual([]);
  });
});
