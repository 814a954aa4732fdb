import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadScanRules } from "../../src/rules/scan/load.js";
import { scanTree } from "../../src/scan/index.js";
import { filterListedPaths, unquoteGitPath } from "../../src/scan/select.js";
import { runCli } from "../helpers/cli.js";

const rules = loadScanRules();
const fixtures = fileURLToPath(new URL("../../fixtures/scan/", import.meta.url));
const temporary = mkdtempSync(path.join(os.tmpdir(), "vmsport-select-"));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

/** Copy a fixture directory to a fresh directory named `name`, and return the copy. */
function copyFixture(fixture: string, name: string): string {
  const root = path.join(temporary, name);
  cpSync(path.join(fixtures, fixture), root, { recursive: true });
  return root;
}

function gitInit(directory: string): void {
  execFileSync("git", ["init", "--quiet"], { cwd: directory });
}

const select = (cwd: string, options: { followSymlinks?: boolean; paths?: string[] } = {}) =>
  scanTree({ paths: options.paths ?? ["."], cwd, rules, jobs: 1, followSymlinks: options.followSymlinks });

describe("--follow-symlinks", () => {
  // The names put the link before and after the real directory in the order of names and of creation.
  for (const link of ["a/link", "zz/link"]) {
    it(`direct path wins in git (${link})`, async () => {
      const root = copyFixture("select-links", `git-${link.replace("/", "-")}`);
      mkdirSync(path.join(root, path.dirname(link)));
      symlinkSync("../real", path.join(root, link));
      gitInit(root);
      const result = await select(root, { followSymlinks: true });
      expect(result.files).toEqual(["clean.c", "real/worker.c"]);
    });

    it(`direct path wins outside git (${link})`, async () => {
      const root = copyFixture("select-links", `plain-${link.replace("/", "-")}`);
      mkdirSync(path.join(root, path.dirname(link)));
      symlinkSync("../real", path.join(root, link));
      const result = await select(root, { followSymlinks: true });
      expect(result.files).toEqual(["clean.c", "real/worker.c"]);
    });
  }

  it("directory outside the work tree", async () => {
    const outside = copyFixture("select-links", "outside-target");
    const root = copyFixture("select-list", "outside-link");
    symlinkSync(path.join(outside, "real"), path.join(root, "vendor"));
    gitInit(root);
    const result = await select(root, { followSymlinks: true });
    expect(result.files).toContain("vendor/worker.c");
  });

  it("target ignored by git", async () => {
    const root = copyFixture("select-links", "ignored-target");
    writeFileSync(path.join(root, ".gitignore"), "real/\n");
    symlinkSync("real", path.join(root, "alias"));
    gitInit(root);
    const result = await select(root, { followSymlinks: true });
    expect(result.files).toEqual(["clean.c"]);
  });

  it("link ignored by git", async () => {
    const outside = copyFixture("select-links", "ignored-link-target");
    const root = copyFixture("select-list", "ignored-link");
    writeFileSync(path.join(root, ".gitignore"), "vendor\n");
    symlinkSync(path.join(outside, "real"), path.join(root, "vendor"));
    gitInit(root);
    const followed = await select(root, { followSymlinks: true });
    expect(followed.files).not.toContain("vendor/worker.c");
    const plain = await select(root);
    expect(plain.summary.symlinksNotFollowed).toBe(0);
  });

  it("loop is still a skip", async () => {
    const root = copyFixture("select-links", "loop");
    symlinkSync("..", path.join(root, "real/up"));
    const result = await select(root, { followSymlinks: true });
    expect(result.skipped.map((skip) => `${skip.path}:${skip.reason}`)).toEqual(["real/up:symlink-loop"]);
  });

  it("cli reports the finding", async () => {
    const root = copyFixture("select-links", "cli-links");
    mkdirSync(path.join(root, "a"));
    symlinkSync("../real", path.join(root, "a/link"));
    gitInit(root);
    const run = await runCli(["scan", ".", "--follow-symlinks"], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("real/worker.c:1:");
    expect(run.stderr).toContain("Scanned 2 files");
  });
});

describe("git ignore rules", () => {
  it(".git/info/exclude from the top", async () => {
    const root = copyFixture("select-list", "info-exclude");
    gitInit(root);
    writeFileSync(path.join(root, ".git/info/exclude"), "spawn.c\n");
    const result = await select(root);
    expect(result.files).toEqual(["src/clean.c"]);
  });

  it(".git/info/exclude from a subdirectory", async () => {
    const root = copyFixture("select-list", "info-exclude-sub");
    gitInit(root);
    writeFileSync(path.join(root, ".git/info/exclude"), "/src/spawn.c\n");
    const result = await select(path.join(root, "src"));
    expect(result.files).toEqual(["clean.c"]);
  });

  it("nested repository", async () => {
    const root = copyFixture("select-list", "nested-outer");
    const nested = path.join(root, "vendor/lib");
    cpSync(path.join(fixtures, "select-links"), nested, { recursive: true });
    gitInit(root);
    gitInit(nested);
    writeFileSync(path.join(nested, ".git/info/exclude"), "clean.c\n");
    const result = await select(root);
    expect(result.files).toEqual(["src/clean.c", "src/spawn.c", "vendor/lib/real/worker.c"]);
  });

  it("nested repository ignored by the outer", async () => {
    const root = copyFixture("select-list", "nested-ignored");
    const nested = path.join(root, "vendor/lib");
    cpSync(path.join(fixtures, "select-links"), nested, { recursive: true });
    writeFileSync(path.join(root, ".gitignore"), "vendor/\n");
    gitInit(root);
    gitInit(nested);
    const result = await select(root);
    expect(result.files).toEqual(["src/clean.c", "src/spawn.c"]);
  });
});

describe("git failure", () => {
  it("warning gives git's reason", async () => {
    const root = copyFixture("select-list", "git-fails");
    gitInit(root);
    const run = await runCli(["scan", "."], { cwd: root, env: { GIT_DIR: path.join(root, "no-such-dir") } });
    expect(run.stderr).toContain("git could not list the files of . (not a git repository");
  });

  // Git 2.35.2 and later read this variable of its own test suite. Older versions ignore it, so the test is skipped.
  const ownershipEnv = { ...process.env, GIT_TEST_ASSUME_DIFFERENT_OWNER: "1" };
  const refusesOwner = (() => {
    const root = copyFixture("select-list", "git-owner-probe");
    gitInit(root);
    try {
      execFileSync("git", ["ls-files"], { cwd: root, env: ownershipEnv, stdio: "ignore" });
      return false;
    } catch {
      return true;
    }
  })();

  it.skipIf(!refusesOwner)("other owner names safe.directory", async () => {
    const root = copyFixture("select-list", "git-owner");
    gitInit(root);
    const run = await runCli(["scan", "."], { cwd: root, env: ownershipEnv });
    expect(run.stderr).toContain("git config --global --add safe.directory");
  });
});

describe("paths with glob characters", () => {
  it("existing path taken as written", async () => {
    const root = copyFixture("select-links", "glob-characters");
    writeFileSync(path.join(root, "case[12].c"), "int twelve;\n");
    writeFileSync(path.join(root, "case1.c"), "int one;\n");
    writeFileSync(path.join(root, "{old,new}.c"), "int both;\n");
    const result = await select(root, { paths: ["case[12].c", "{old,new}.c"] });
    expect(result.files).toEqual(["case[12].c", "{old,new}.c"]);
  });

  it("other arguments are globs", async () => {
    const root = copyFixture("select-links", "glob-pattern");
    writeFileSync(path.join(root, "case1.c"), "int one;\n");
    const result = await select(root, { paths: ["case[12].c"] });
    expect(result.files).toEqual(["case1.c"]);
  });
});

describe("filterListedPaths", () => {
  const root = copyFixture("select-list", "filter");
  writeFileSync(path.join(root, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
  symlinkSync("src/spawn.c", path.join(root, "spawn-link.c"));
  const entries = [
    "src/spawn.c",
    "docs/porting.md",
    "data/settings.json",
    "logo.png",
    "src/deleted.c",
    "docs/deleted.md",
    "src",
    "spawn-link.c",
  ];

  it("default extensions", () => {
    const listed = filterListedPaths(entries, { cwd: root });
    expect(listed.paths).toEqual(["src/spawn.c", "src"]);
  });

  it("missing C file is noted", () => {
    const listed = filterListedPaths(entries, { cwd: root });
    expect(listed.missing).toEqual(["src/deleted.c"]);
  });

  it("link not followed", () => {
    const listed = filterListedPaths(entries, { cwd: root });
    expect(listed.symlinksNotFollowed).toEqual(["spawn-link.c"]);
  });

  it("link followed", () => {
    const listed = filterListedPaths(entries, { cwd: root, followSymlinks: true });
    expect(listed.paths).toEqual(["src/spawn.c", "src", "spawn-link.c"]);
  });

  it("include replaces extensions", () => {
    const listed = filterListedPaths(entries, { cwd: root, include: ["*.md"] });
    expect(listed.paths).toEqual(["docs/porting.md", "src"]);
    expect(listed.missing).toEqual(["docs/deleted.md"]);
  });

  it("exclude drops files and directories", () => {
    const listed = filterListedPaths(entries, { cwd: root, exclude: ["src/**"] });
    expect(listed.paths).toEqual([]);
    expect(listed.missing).toEqual([]);
  });
});

describe("unquoteGitPath", () => {
  const cases: [string, string | undefined][] = [
    ['"src/caf\\303\\251.c"', "src/café.c"],
    ['"tab\\there.c"', "tab\there.c"],
    ['"say \\"hi\\".c"', 'say "hi".c'],
    ['"back\\\\slash.c"', "back\\slash.c"],
    ['"naïve.c"', "naïve.c"],
    ["plain.c", undefined],
    ['"unknown\\q.c"', undefined],
    ['"inner"quote.c"', undefined],
  ];
  for (const [quoted, expected] of cases) {
    it(`decodes ${quoted}`, () => {
      expect(unquoteGitPath(quoted)).toBe(expected);
    });
  }

  it("round trip through git", () => {
    const root = copyFixture("select-links", "git-quoted");
    const name = 'sp\u00e9cial "x"\t.c';
    writeFileSync(path.join(root, name), "int x;\n");
    gitInit(root);
    const output = execFileSync("git", ["-c", "core.quotePath=true", "ls-files", "--others"], {
      cwd: root,
      encoding: "utf8",
    });
    const line = output.split("\n").find((entry) => entry.startsWith('"')) ?? "";
    expect(unquoteGitPath(line)).toBe(name);
  });
});

describe("--files-from", () => {
  const root = copyFixture("select-list", "cli-list");
  writeFileSync(path.join(root, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));

  it("empty list scans nothing", async () => {
    const run = await runCli(["scan", "--files-from", "-"], { cwd: root, input: "" });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("no file was scanned");
    expect(run.stderr).toContain("--diff-filter=d");
  });

  it("non-C entries are left out", async () => {
    const run = await runCli(["scan", "--files-from", "-"], {
      cwd: root,
      input: "docs/porting.md\ndata/settings.json\nlogo.png\nsrc/clean.c\n",
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("Scanned 1 file");
  });

  it("exclude filters the list", async () => {
    const run = await runCli(["scan", "--files-from", "-", "--exclude", "spawn.c"], {
      cwd: root,
      input: "src/spawn.c\nsrc/clean.c\n",
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("Scanned 1 file");
  });

  it("include filters the list", async () => {
    const run = await runCli(["scan", "--files-from", "-", "--include", "*.md", "--fail-on", "none"], {
      cwd: root,
      input: "docs/porting.md\nsrc/spawn.c\n",
    });
    expect(run.stdout).toContain("docs/porting.md:");
    expect(run.stdout).not.toContain("src/spawn.c");
  });

  it("deleted entry is a note", async () => {
    const run = await runCli(["scan", "--files-from", "-"], {
      cwd: root,
      input: "src/gone.c\nsrc/spawn.c\n",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("not found in the --files-from list, so not scanned: src/gone.c");
  });

  it("command-line file keeps its extension", async () => {
    const run = await runCli(["scan", "docs/porting.md"], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("docs/porting.md:5:");
  });

  it("git-quoted line", async () => {
    const quoted = copyFixture("select-list", "cli-quoted");
    writeFileSync(path.join(quoted, "src/café.c"), "int cafe(void) { return fork(); }\n");
    const run = await runCli(["scan", "--files-from", "-"], {
      cwd: quoted,
      input: '"src/caf\\303\\251.c"\n',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("src/café.c:1:");
  });

  it("NUL-separated names", async () => {
    const odd = copyFixture("select-list", "cli-odd-names");
    writeFileSync(path.join(odd, "#1 worker.c"), "int one(void) { return fork(); }\n");
    writeFileSync(path.join(odd, " leading space.c"), "int two(void) { return vfork(); }\n");
    const run = await runCli(["scan", "--files-from", "-", "--fail-on", "none"], {
      cwd: odd,
      input: "#1 worker.c\0 leading space.c\0",
    });
    expect(run.stdout).toContain("#1 worker.c:1:");
    expect(run.stdout).toContain(" leading space.c:1:");
  });
});

describe("--stdin-filename", () => {
  it("without - is an error", async () => {
    const root = copyFixture("select-list", "stdin-name");
    const run = await runCli(["scan", "--stdin-filename", "piped.c", "src"], { cwd: root, input: "" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Add - to the paths");
  });
});
