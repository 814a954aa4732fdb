import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const temporary = mkdtempSync(path.join(os.tmpdir(), "vmsport-scan-cli-"));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

function makeTree(name: string, files: Record<string, string | Buffer>): string {
  const root = path.join(temporary, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

describe("vmsport scan", () => {
  const project = makeTree("project", {
    "src/main.c": "#include <sys/epoll.h>\nint main(void) { return fork(); }\n",
    "src/util.c": "int util(void) { return 0; }\n",
  });

  it("gcc lines and exit 1", async () => {
    const run = await runCli(["scan", "src"], { cwd: project });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("src/main.c:1:10: error:");
    expect(run.stdout).toContain("[VMS1001]");
    expect(run.stderr).toContain("Scanned 2 files");
  });

  it("json with fail-on none", async () => {
    const run = await runCli(["scan", "--format", "json", "--fail-on", "none", "src"], { cwd: project });
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as { findings: { ruleId: string }[] };
    expect(document.findings.map((finding) => finding.ruleId)).toContain("VMS7001");
  });

  it("no files is exit 2", async () => {
    const empty = makeTree("empty", { "README.txt": "nothing\n" });
    const run = await runCli(["scan", "."], { cwd: empty });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no file was scanned");
  });

  it("skipped file is exit 2", async () => {
    const root = makeTree("skipped", {
      "a.c": "int a(void) { return fork(); }\n",
      "b.c": Buffer.from([0, 1, 2]),
    });
    const strict = await runCli(["scan", "."], { cwd: root });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain("b.c: skipped: binary file");
    const allowed = await runCli(["scan", "--allow-skips", "."], { cwd: root });
    expect(allowed.code).toBe(1);
  });

  it("standard input", async () => {
    const run = await runCli(["scan", "-", "--stdin-filename", "piped.c"], {
      cwd: project,
      input: "void f(void) { pipe(fds); }\n",
    });
    expect(run.stdout).toContain("piped.c:1:16:");
  });

  it("baseline workflow", async () => {
    const baseline = path.join(temporary, "baseline.json");
    const write = await runCli(["scan", "--write-baseline", baseline, "src"], { cwd: project });
    expect(write.code).toBe(0);
    expect(JSON.parse(readFileSync(baseline, "utf8")).kind).toBe("scan-baseline");
    const check = await runCli(["scan", "--baseline", baseline, "src"], { cwd: project });
    expect(check.code).toBe(0);
  });

  it("baseline holds from a subdirectory of a git work tree", async () => {
    const root = makeTree("git-project", {
      "src/net/socket.c": "int open_socket(void) { return fork(); }\n",
      "src/main.c": 'int main(void) { return system("rm -f x"); }\n',
    });
    execFileSync("git", ["init", "--quiet"], { cwd: root });
    const write = await runCli(["scan", "--write-baseline", "baseline.json", "src"], { cwd: root });
    expect(write.code).toBe(0);
    const subset = await runCli(["scan", "--baseline", "../../baseline.json", "socket.c"], {
      cwd: path.join(root, "src", "net"),
    });
    expect(subset.code).toBe(0);
    writeFileSync(path.join(root, "src", "net", "socket.c"), "int f(void) { return fork() + vfork(); }\n");
    const changed = await runCli(["scan", "--baseline", "../baseline.json", "net"], {
      cwd: path.join(root, "src"),
    });
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain("net/socket.c:1:");
  });

  it("baseline rooted at a configuration file", async () => {
    const root = makeTree("config-project", {
      "vmsport.config.yaml": "scan:\n  baseline: accepted.json\n",
      "lib/a.c": "int a(void) { return fork(); }\n",
    });
    const write = await runCli(["scan", "--write-baseline", "accepted.json", "lib"], { cwd: root });
    expect(write.code).toBe(0);
    const inside = await runCli(["scan", "."], { cwd: path.join(root, "lib") });
    expect(inside.code).toBe(0);
    expect(inside.stderr).toContain("1 suppressed");
  });

  it("invalid version", async () => {
    const run = await runCli(["scan", "--vms-version", "eight", "src"], { cwd: project });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid OpenVMS version "eight"');
  });

  it("files-from list", async () => {
    const list = path.join(temporary, "list.txt");
    writeFileSync(list, "src/util.c\n# a comment\n");
    const run = await runCli(["scan", "--files-from", list], { cwd: project });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("Scanned 1 file");
  });
});

describe("vmsport scan in CI", () => {
  const project = makeTree("ci-project", {
    "src/net/socket.c": "int open_socket(void) { return fork(); }\n",
    "src/info.c": "#ifdef __linux__\nint g(void) { return fork(); }\n#endif\nint main(void) { return 1; }\n",
  });

  it("writes no colour into an output file", async () => {
    const output = path.join(temporary, "report.txt");
    const run = await runCli(["scan", "-f", "text", "-o", output, "src"], {
      cwd: project,
      env: { FORCE_COLOR: "1" },
    });
    expect(run.code).toBe(1);
    expect(readFileSync(output, "utf8")).not.toContain("\u001b[");
  });

  it("writes gcc's word for information", async () => {
    const run = await runCli(["scan", "--fail-on", "none", "--include-inactive", "src/info.c"], {
      cwd: project,
    });
    const severities = run.stdout.split("\n").map((line) => /^[^:]+:\d+:\d+: (\w+):/.exec(line)?.[1]);
    expect(severities).toContain("note");
    expect(severities).not.toContain("info");
  });

  it("gives annotation paths from the top of the repository", async () => {
    const run = await runCli(["scan", "-f", "github", "socket.c"], {
      cwd: path.join(project, "src", "net"),
      env: { GITHUB_WORKSPACE: project },
    });
    expect(run.stdout).toContain("file=src/net/socket.c,");
  });

  it("gives SARIF locations from the top of the repository", async () => {
    const run = await runCli(["scan", "-f", "sarif", "--fail-on", "none", "socket.c"], {
      cwd: path.join(project, "src", "net"),
      env: { GITHUB_WORKSPACE: project },
    });
    const sarif = JSON.parse(run.stdout) as {
      runs: {
        originalUriBaseIds: { SRCROOT: { uri: string } };
        results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    const [first] = sarif.runs;
    expect(first?.originalUriBaseIds.SRCROOT.uri).toBe(`${pathToFileURL(project).href}/`);
    expect(first?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe("src/net/socket.c");
  });

  it("does not blame the exit status on --min-severity while writing a baseline", async () => {
    const baseline = path.join(temporary, "ci-baseline.json");
    const run = await runCli(
      ["scan", "--min-severity", "error", "--fail-on", "info", "--write-baseline", baseline, "src/info.c"],
      { cwd: project },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("exit status 1");
  });

  it("counts symbolic links it did not follow", async () => {
    const root = makeTree("ci-links", { "real/a.c": "int a;\n" });
    symlinkSync(path.join(root, "real"), path.join(root, "linked"));
    const run = await runCli(["scan", "--fail-on", "none", "."], { cwd: root });
    expect(run.stderr).toContain("1 symbolic link not followed; --follow-symlinks scans what it points to.");
  });
});

describe("vmsport scan arguments and configuration", () => {
  it("refuses a path that does not exist, even with --allow-skips", async () => {
    const root = makeTree("missing-path", { "a.c": "int a;\n" });
    const run = await runCli(["scan", "--allow-skips", "srcc", "a.c"], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("path not found: srcc");
  });

  it("refuses a baseline entry without a fingerprint", async () => {
    const root = makeTree("bad-baseline", {
      "a.c": "int a(void) { return fork(); }\n",
      "base.json": '{"tool":"vmsport","kind":"scan-baseline","version":1,"findings":[{"fingerprint":"x"}]}',
    });
    const run = await runCli(["scan", "--baseline", "base.json", "a.c"], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('entry 1 of "findings" has no valid fingerprint');
  });

  it("warns when no baseline entry matches", async () => {
    const root = makeTree("stale-baseline", {
      "a.c": "int a(void) { return fork(); }\n",
      "base.json": `{"tool":"vmsport","kind":"scan-baseline","version":1,"findings":[{"fingerprint":"${"0".repeat(32)}"}]}`,
    });
    const run = await runCli(["scan", "--baseline", "base.json", "a.c"], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the one finding in the baseline does not match this scan");
  });

  it("reads the configured excludes from the configuration file's directory", async () => {
    const root = makeTree("config-excludes", {
      "vmsport.config.yaml": 'scan:\n  exclude: ["src/net/**"]\n',
      "src/net/io.c": "int f(void) { return fork(); }\n",
      "src/main.c": "int main(void) { return 0; }\n",
    });
    const run = await runCli(["scan", "."], { cwd: path.join(root, "src") });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("Scanned 1 file");
  });
});
