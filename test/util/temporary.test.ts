import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MODULE = fileURLToPath(new URL("../../dist/util/temporary.js", import.meta.url));

/** Runs a child that writes two temporary files, releases one, renames it, and then gets `signal`. */
function interruptedChild(signal: string, directory: string) {
  const script = `
    import { writeFileSync, renameSync } from "node:fs";
    import { releaseTemporary, temporaryPath } from ${JSON.stringify(MODULE)};
    const renamed = temporaryPath(${JSON.stringify(path.join(directory, "kept.txt"))});
    writeFileSync(renamed, "done");
    renameSync(renamed, ${JSON.stringify(path.join(directory, "kept.txt"))});
    releaseTemporary(renamed);
    writeFileSync(temporaryPath(${JSON.stringify(path.join(directory, "partial.txt"))}), "half");
    process.kill(process.pid, ${JSON.stringify(signal)});
    setTimeout(() => process.exit(0), 5000);
  `;
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
}

describe("temporary files on interruption", () => {
  for (const signal of ["SIGINT", "SIGTERM"]) {
    it(`removes pending files on ${signal}`, () => {
      const directory = mkdtempSync(path.join(tmpdir(), "vmsport-temporary-"));
      interruptedChild(signal, directory);
      expect(readdirSync(directory)).toEqual(["kept.txt"]);
    });

    it(`exits with the shell status of ${signal}`, () => {
      const directory = mkdtempSync(path.join(tmpdir(), "vmsport-temporary-"));
      expect(interruptedChild(signal, directory).status).toBe(signal === "SIGINT" ? 130 : 143);
    });
  }

  it("leaves a released file alone", () => {
    const directory = mkdtempSync(path.join(tmpdir(), "vmsport-temporary-"));
    interruptedChild("SIGTERM", directory);
    expect(existsSync(path.join(directory, "kept.txt"))).toBe(true);
  });
});
