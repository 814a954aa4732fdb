/**
 * `vmsport translate` with the log parsed in a worker thread. VMSPORT_TRANSLATE_THREAD_BYTES=0 sends every
 * log through that path, and each run must give what the one-thread path gives.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type CliRun, runCli } from "../helpers/cli.js";

const fixtures = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const THREADED = { VMSPORT_TRANSLATE_THREAD_BYTES: "0" };
const ONE_THREAD = { VMSPORT_TRANSLATE_THREAD_BYTES: String(Number.MAX_SAFE_INTEGER) };

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "vmsport-threaded-"));
}

/** Drops the line with the time of the run, which differs between two runs. */
function withoutTime(text: string): string {
  return text.replace(/ on \d{4}-\d{2}-\d{2}T[0-9:.]+Z/, "");
}

/** Read every file of a directory, with the time of the run removed. */
function files(directory: string): Record<string, string> {
  const contents: Record<string, string> = {};
  for (const name of readdirSync(directory).sort())
    contents[name] = withoutTime(readFileSync(path.join(directory, name), "utf8"));
  return contents;
}

function comparable(run: CliRun): { code: number | null; stdout: string; stderr: string } {
  return { code: run.code, stdout: withoutTime(run.stdout), stderr: run.stderr };
}

/** Build a log of compiles in each directory. With `entered`, make names each directory it enters. */
function compilesLog(directories: readonly string[], count: number, entered: boolean): string {
  const lines: string[] = [];
  for (const directory of directories) {
    if (entered) lines.push(`make[1]: Entering directory '${directory}'`);
    for (let k = 0; k < count; k++)
      lines.push(`${entered ? "" : `cd ${directory} && `}gcc -O2 -DN=${k % 7} -c f${k}.c -o f${k}.o`);
    lines.push(`${entered ? "" : `cd ${directory} && `}ar rcs libf.a f0.o f1.o`);
    if (entered) lines.push(`make[1]: Leaving directory '${directory}'`);
  }
  return `${lines.join("\n")}\n`;
}

const logs: { name: string; file: string }[] = [
  { name: "demo", file: `${fixtures}demo/build.log` },
  { name: "unnamed start", file: `${fixtures}translate/logs/submake-start.log` },
  { name: "cmake", file: `${fixtures}translate/logs/cmake-verbose.log` },
  { name: "cmake without make -w", file: `${fixtures}translate/cmake-make-static/build.log` },
  { name: "recursive make", file: `${fixtures}parse/real-make-recursive/build.log` },
  { name: "ninja", file: `${fixtures}parse/real-cmake-ninja/build.log` },
];

function generated(name: string, text: string): { name: string; file: string } {
  const file = path.join(scratch(), "build.log");
  writeFileSync(file, text);
  return { name, file };
}

describe("translate in a worker thread", () => {
  const all = [
    ...logs,
    generated("entered directories", compilesLog(["/src/p/lib", "/src/p/app", "/src/p/lib/sub"], 400, true)),
    generated("root moving up", compilesLog(["/src/p/lib", "/src/p/app"], 400, false)),
    generated("demo repeated", readFileSync(`${fixtures}demo/build.log`, "utf8").repeat(60)),
  ];

  for (const { name, file } of all) {
    it(`writes the same procedure: ${name}`, async () => {
      const threaded = await runCli(["translate", file], { env: THREADED });
      const oneThread = await runCli(["translate", file], { env: ONE_THREAD });
      expect(comparable(threaded)).toEqual(comparable(oneThread));
    });

    it(`writes the same files: ${name}`, async () => {
      for (const format of ["dcl", "mms"]) {
        const threadedDirectory = scratch();
        const oneThreadDirectory = scratch();
        const main = format === "dcl" ? "build.com" : "descrip.mms";
        const threaded = await runCli(
          ["translate", file, "--format", format, "-o", path.join(threadedDirectory, main)],
          { env: THREADED, cwd: threadedDirectory },
        );
        const oneThread = await runCli(
          ["translate", file, "--format", format, "-o", path.join(oneThreadDirectory, main)],
          { env: ONE_THREAD, cwd: oneThreadDirectory },
        );
        expect(threaded.code).toBe(oneThread.code);
        expect(threaded.stderr.replaceAll(threadedDirectory, "OUT")).toBe(
          oneThread.stderr.replaceAll(oneThreadDirectory, "OUT"),
        );
        expect(files(threadedDirectory)).toEqual(files(oneThreadDirectory));
      }
    });
  }

  it("reads standard input", async () => {
    const input = readFileSync(`${fixtures}demo/build.log`);
    const threaded = await runCli(["translate", "-"], { env: THREADED, input });
    const oneThread = await runCli(["translate", "-"], { env: ONE_THREAD, input });
    expect(comparable(threaded)).toEqual(comparable(oneThread));
  });

  it("honours --source-root", async () => {
    const { file } = generated("moving root", compilesLog(["/src/p/lib", "/src/p/app"], 300, false));
    const args = ["translate", file, "--source-root", "/src"];
    const threaded = await runCli(args, { env: THREADED });
    expect(comparable(threaded)).toEqual(comparable(await runCli(args, { env: ONE_THREAD })));
  });

  it("exits 1 with --strict", async () => {
    const file = `${fixtures}parse/unknown-lines/build.log`;
    const threaded = await runCli(["translate", file, "--strict"], { env: THREADED });
    expect(threaded.code).toBe(1);
  });

  it("rejects a command limit too small", async () => {
    // The root logical name is part of the shared qualifiers, so a long one makes them too long.
    const rootLogical = `${"A".repeat(200)}$ROOT`;
    const args = [
      "translate",
      `${fixtures}demo/build.log`,
      "--max-command",
      "256",
      "--root-logical",
      rootLogical,
    ];
    const threaded = await runCli(args, { env: THREADED });
    const oneThread = await runCli(args, { env: ONE_THREAD });
    expect(threaded.code).toBe(2);
    expect(threaded.stderr).toBe(oneThread.stderr);
  });

  it("rejects a log without build output", async () => {
    const { file } = generated("prose", "just some text\nand more text\n");
    const threaded = await runCli(["translate", file], { env: THREADED });
    expect(threaded.code).toBe(2);
    expect(threaded.stderr).toMatch(/no recognisable build output/);
  });

  it("rejects a binary file", async () => {
    const { file } = generated("binary", "gcc -c a.c\0\0\0\n");
    const threaded = await runCli(["translate", file], { env: THREADED });
    expect(threaded.code).toBe(2);
    expect(threaded.stderr).toMatch(/binary file/);
  });

  it("leaves no file when the output exists", async () => {
    const directory = scratch();
    const main = path.join(directory, "build.com");
    writeFileSync(main, "$ EXIT\n");
    const run = await runCli(["translate", `${fixtures}demo/build.log`, "-o", main], { env: THREADED });
    expect(run.code).toBe(2);
    expect(readdirSync(directory)).toEqual(["build.com"]);
    expect(readFileSync(main, "utf8")).toBe("$ EXIT\n");
  });

  it("overwrites with --force", async () => {
    const directory = scratch();
    const main = path.join(directory, "build.com");
    writeFileSync(main, "$ EXIT\n");
    const run = await runCli(["translate", `${fixtures}demo/build.log`, "-o", main, "--force"], {
      env: THREADED,
    });
    expect(run.code).toBe(0);
    expect(readFileSync(main, "utf8")).toMatch(/^\$! BUILD\.COM -- OpenVMS build procedure/);
  });

  it("rejects an invalid threshold", async () => {
    const run = await runCli(["translate", `${fixtures}demo/build.log`], {
      env: { VMSPORT_TRANSLATE_THREAD_BYTES: "many" },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/invalid VMSPORT_TRANSLATE_THREAD_BYTES "many"/);
  });

  it("names why it used one thread", async () => {
    const { file } = generated("moving root", compilesLog(["/src/p/lib", "/src/p/app"], 300, false));
    const run = await runCli(["--verbose", "translate", file], { env: THREADED });
    expect(run.stderr).toMatch(/translating in one thread because a step moved the source root/);
  });
});
