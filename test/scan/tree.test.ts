import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScanRules } from "../../src/rules/scan/load.js";
import { parseBaseline, scanSources, scanTree, serializeBaseline } from "../../src/scan/index.js";

const rules = loadScanRules();
const temporary = mkdtempSync(path.join(os.tmpdir(), "vmsport-scan-"));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

/** Create files under a fresh directory; returns the directory. */
function makeTree(name: string, files: Record<string, string | Buffer>): string {
  const root = path.join(temporary, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

const ids = (findings: { ruleId: string; path: string }[], ruleId: string) =>
  findings
    .filter((finding) => finding.ruleId === ruleId)
    .map((finding) => finding.path)
    .sort();

describe("tree-wide checks", () => {
  const tree = [
    { path: "src/grammar.tab.c", content: "int g;\n" },
    { path: "src/Config.h", content: "" },
    { path: "src/config.h", content: "" },
    { path: "tests/data/file with spaces.c", content: "" },
    { path: "lib/a_file_name_that_is_certainly_longer_than_39_chars.c", content: "" },
    { path: "lib/ok_name.c", content: "" },
    { path: "src/parse.c", content: '#include "grammar.tab.h"\n' },
  ];

  it("ods2 names", () => {
    const result = scanSources(tree, rules, { ods: 2 });
    expect(ids(result.findings, "VMS6001")).toEqual([
      "lib/a_file_name_that_is_certainly_longer_than_39_chars.c",
      "src/grammar.tab.c",
      "tests/data/file with spaces.c",
    ]);
    expect(ids(result.findings, "VMS6003")).toEqual(["src/Config.h", "src/config.h"]);
    expect(ids(result.findings, "VMS6004")).toEqual(["src/parse.c"]);
  });

  it("ods5 names", () => {
    const result = scanSources(tree, rules, { ods: 5 });
    expect(ids(result.findings, "VMS6001")).toEqual([]);
    expect(ids(result.findings, "VMS6003")).toEqual(["src/Config.h", "src/config.h"]);
  });

  it("file names below an outside root", () => {
    const outside = [
      { path: "../../src/lua-5.4.4/src/lapi.c", content: "" },
      { path: "../../src/lua-5.4.4/src/lib/a.b.c", content: "" },
      { path: "../../src/lua-5.4.4/doc/x.c", content: "" },
    ];
    const result = scanSources(outside, rules, { ods: 2 });
    expect(ids(result.findings, "VMS6001")).toEqual(["../../src/lua-5.4.4/src/lib/a.b.c"]);
  });

  it("depth below an outside root", () => {
    const deep = "../../a/b/c/d/e/f/g/h/tree";
    const result = scanSources(
      [
        { path: `${deep}/top.c`, content: "" },
        { path: `${deep}/1/2/3/4/5/6/7/ok.c`, content: "" },
        { path: `${deep}/1/2/3/4/5/6/7/8/9/deep.c`, content: "" },
      ],
      rules,
    );
    expect(ids(result.findings, "VMS6005")).toEqual([`${deep}/1/2/3/4/5/6/7/8/9/deep.c`]);
  });

  it("unique long name is silent", () => {
    const files = [{ path: "a.c", content: "int a_single_really_long_external_function_name(void);\n" }];
    const result = scanSources(files, rules);
    expect(ids(result.findings, "VMS5004")).toEqual([]);
  });

  it("unique long name opted in", () => {
    const files = [{ path: "a.c", content: "int a_single_really_long_external_function_name(void);\n" }];
    const optedIn = rules.map((rule) =>
      rule.id === "VMS5004" && rule.match.externalNames
        ? {
            ...rule,
            match: { externalNames: { ...rule.match.externalNames, uniqueSeverity: "info" as const } },
          }
        : rule,
    );
    const [finding] = scanSources(files, optedIn).findings.filter((item) => item.ruleId === "VMS5004");
    expect(finding?.severity).toBe("info");
    expect(finding?.message).toContain("has 43 characters and collides with no other name");
  });

  it("unused directive says why", () => {
    const files = [
      { path: "a.c", content: "int count; // vmsport-ignore[VMS1001]: started elsewhere\n" },
      { path: "b.c", content: "int ready; // vmsport-ignore[VMS01]: wrong id\n" },
    ];
    const messages = scanSources(files, rules)
      .findings.filter((finding) => finding.ruleId === "VMS0001")
      .map((finding) => finding.message);
    expect(messages[0]).toContain("for VMS1001 suppresses nothing");
    expect(messages[1]).toContain('the rule id "VMS01" is invalid');
  });

  it("unused directive names an unknown rule", () => {
    const files = [{ path: "a.c", content: "int count; // vmsport-ignore[VMS9999]: no such rule\n" }];
    const [message] = scanSources(files, rules)
      .findings.filter((finding) => finding.ruleId === "VMS0001")
      .map((finding) => finding.message);
    expect(message).toContain("names VMS9999, which is no vmsport rule");
  });

  it("name collisions across files", () => {
    const result = scanSources(
      [
        { path: "a.c", content: "int registry_lookup_entry_by_name_ci_fast(void) { return 1; }\n" },
        { path: "b.c", content: "int registry_lookup_entry_by_name_ci_slow(void) { return 2; }\n" },
        { path: "c.h", content: "int registry_lookup_entry_by_name_ci_fast(void);\n" },
      ],
      rules,
    );
    const long = result.findings.filter((finding) => finding.ruleId === "VMS5004");
    expect(long.map((finding) => `${finding.path}:${finding.line}:${finding.severity}`)).toEqual([
      "a.c:1:error",
      "b.c:1:error",
    ]);
  });
});

describe("scanTree", () => {
  it("symlink loop terminates", async () => {
    const root = makeTree("links", { "a/real.c": "int w(void) { return fork(); }\n" });
    symlinkSync("..", path.join(root, "a/loop"));
    mkdirSync(path.join(root, "b"));
    symlinkSync("../a", path.join(root, "b/inner"));
    const plain = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1 });
    expect(plain.files).toEqual(["a/real.c"]);
    expect(plain.summary.symlinksNotFollowed).toBe(2);
    const followed = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1, followSymlinks: true });
    expect(followed.files).toEqual(["a/real.c"]);
    expect(ids(followed.findings, "VMS1001")).toEqual(["a/real.c"]);
  });

  it("skips quilt's .pc copies", async () => {
    const root = makeTree("quilt", {
      "src/main.c": "int main(void) { return fork(); }\n",
      ".pc/fix-build.patch/src/main.c": "int main(void) { return fork(); }\n",
    });
    const result = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1 });
    expect(result.files).toEqual(["src/main.c"]);
  });

  it("skips binary and large files", async () => {
    const root = makeTree("skips", {
      "ok.c": "int ok;\n",
      "blob.c": Buffer.from([0x69, 0x6e, 0x74, 0x00, 0x01]),
      "huge.c": `/* ${"x".repeat(5000)} */\n`,
    });
    const result = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1, maxFileSize: 1000 });
    expect(result.files).toEqual(["ok.c"]);
    expect(result.skipped.map((skip) => `${skip.path}:${skip.reason}`)).toEqual([
      "blob.c:binary",
      "huge.c:too-large",
    ]);
  });

  it("include and exclude globs", async () => {
    const root = makeTree("globs", { "src/a.c": "", "src/b.cpp": "", "test/t.c": "", "notes.txt": "" });
    const result = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1, exclude: ["test/**"] });
    expect(result.files).toEqual(["src/a.c", "src/b.cpp"]);
    const onlyC = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1, include: ["*.c"] });
    expect(onlyC.files).toEqual(["src/a.c", "test/t.c"]);
  });

  it("gitignore in a work tree", async () => {
    const root = makeTree("git", {
      ".gitignore": "generated.c\n",
      "tracked.c": "int t;\n",
      "generated.c": "int g;\n",
    });
    execFileSync("git", ["init", "--quiet"], { cwd: root });
    execFileSync("git", ["add", "tracked.c", ".gitignore"], { cwd: root });
    const honoured = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1 });
    expect(honoured.files).toEqual(["tracked.c"]);
    const ignored = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1, gitignore: false });
    expect(ignored.files).toEqual(["generated.c", "tracked.c"]);
  });

  it("warm-up leaves findings unchanged", async () => {
    // With 50 files, scanTree warms up before the first file. scanSources never does.
    const bodies = [
      "#define local static\nlocal int f(a) int a; { return fork() + a; }\n",
      "int main(void) { long x = 0x100000000UL; return (int)(long)&x + 3; }\n",
      '#include <sys/socket.h>\nint g(char *p) { return system("ls /tmp/x") + (int)(long)p; }\n',
    ];
    const files: Record<string, string> = {};
    for (let index = 0; index < 50; index++)
      files[`dir${index % 5}/file${index}.c`] = bodies[index % bodies.length] as string;
    const root = makeTree("warm-up", files);
    const tree = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1 });
    const direct = scanSources(
      Object.entries(files).map(([file, content]) => ({ path: file, content })),
      rules,
    );
    expect(tree.summary.filesScanned).toBe(50);
    expect(tree.findings.length).toBeGreaterThan(50);
    expect(tree.findings).toEqual(direct.findings);
  });

  it("baseline survives inserted lines", async () => {
    const before = "int main(void)\n{\n    pid_t p = fork();\n    return 0;\n}\n";
    const root = makeTree("baseline", { "m.c": before });
    const first = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1 });
    const baseline = parseBaseline(serializeBaseline(first.findings), "baseline.json");
    writeFileSync(path.join(root, "m.c"), `\n\n${before}`);
    const second = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1, baseline });
    const fresh = second.findings.filter((finding) => !finding.suppression);
    expect(fresh).toEqual([]);
    expect(second.findings.some((finding) => finding.ruleId === "VMS1001" && finding.line === 5)).toBe(true);
  });

  it("new finding outside baseline", async () => {
    const root = makeTree("baseline-new", { "m.c": "int a(void) { return fork(); }\n" });
    const first = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1 });
    const baseline = parseBaseline(serializeBaseline(first.findings), "baseline.json");
    writeFileSync(path.join(root, "m.c"), "int a(void) { return fork(); }\nint b(void) { return fork(); }\n");
    const second = await scanTree({ paths: ["."], cwd: root, rules, jobs: 1, baseline });
    const fresh = second.findings.filter((finding) => !finding.suppression).map((finding) => finding.line);
    expect(fresh).toEqual([2]);
  });
});
