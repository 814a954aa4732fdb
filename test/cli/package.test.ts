import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const version = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string })
  .version;

describe("npm package", () => {
  it("installs offline without dev dependencies and runs", () => {
    const work = mkdtempSync(path.join(tmpdir(), "vmsport-pack-"));
    // --ignore-scripts: the prepack build would rewrite dist/ while other test files run the CLI from it.
    const packed = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", work], {
      cwd: root,
      encoding: "utf8",
    }).trim();
    const tarball = path.join(work, packed.split("\n").pop() ?? "");
    const project = path.join(work, "project");
    execFileSync("npm", ["init", "-y"], {
      cwd: work,
      stdio: "ignore",
      env: { ...process.env, npm_config_yes: "true" },
    });
    execFileSync("mkdir", ["-p", project]);
    execFileSync("npm", ["init", "-y"], { cwd: project, stdio: "ignore" });
    // --offline: every dependency must come from the local npm cache, as on a machine without network.
    execFileSync(
      "npm",
      ["install", "--offline", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts", tarball],
      { cwd: project, stdio: "pipe" },
    );
    const installed = readdirSync(path.join(project, "node_modules"));
    expect(installed).toContain("vmsport");
    expect(installed).not.toContain("vitest");
    expect(installed).not.toContain("typescript");
    const printed = execFileSync(path.join(project, "node_modules", ".bin", "vmsport"), ["--version"], {
      encoding: "utf8",
    });
    expect(printed.trim()).toBe(version);
  });
});
