/**
 * `vmsport translate` on libtool builds: the `libtool --mode=link` command and the `libtool: link:` lines
 * that show what libtool ran for it, the PIC objects in `.libs`, the symbolic links libtool refreshes, its
 * `.la` descriptions, automake's dependency files, and logs that show only libtool's own commands.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const realLog = fileURLToPath(
  new URL("../../fixtures/parse/real-automake-libtool-v1/build.log", import.meta.url),
);
const THREADED = { VMSPORT_TRANSLATE_THREAD_BYTES: "0" };

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "vmsport-libtool-"));
}

/** Write `exports` and translate `log` into a new directory; returns the directory and the run. */
async function translate(log: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const directory = scratch();
  const exports = path.join(directory, "exports.txt");
  writeFileSync(exports, "demo_version\na\n");
  const run = await runCli(
    ["translate", log, "-o", path.join(directory, "build.com"), "--exports", exports, ...extra],
    { env },
  );
  return { directory, run, read: (file: string) => readFileSync(path.join(directory, file), "utf8") };
}

/** Cut the records of step N out of a procedure, from its heading to the next heading. */
function stepText(procedure: string, step: number): string {
  const start = procedure.indexOf(`$! [${step}] `);
  const end = procedure.indexOf("$! [", start + 4);
  return procedure.slice(start, end < 0 ? undefined : end);
}

function logFile(text: string): string {
  const file = path.join(scratch(), "build.log");
  writeFileSync(file, text);
  return file;
}

describe("translate a verbose libtool build", () => {
  it("translates it without steps left over", async () => {
    const { run } = await translate(realLog);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("17 steps: 5 translated, 12 need no command, 0 not translated");
  });

  it("comments the libtool command whose commands the log shows", async () => {
    const { read } = await translate(realLog);
    const text = stepText(read("build.com"), 6);
    expect(text).toContain("libtool ran this link as the `libtool: link:` commands");
    expect(text).not.toContain("$ LINK");
  });

  it("links the shareable image from the object of the compile", async () => {
    const { read } = await translate(realLog);
    expect(read("libdemo.opt")).toContain("\n[]DEMO.OBJ\n");
    expect(read("libdemo.opt")).not.toContain("LIBS]DEMO.OBJ");
  });

  it("keeps the image that a symbolic link's removal names", async () => {
    const { read } = await translate(realLog);
    const text = stepText(read("build.com"), 8);
    expect(text).toContain("deleting it would delete that product");
    expect(text).not.toContain("DELETE");
  });

  it("comments libtool's library descriptions", async () => {
    const { read } = await translate(realLog);
    const procedure = read("build.com");
    expect(stepText(procedure, 14)).toContain("library descriptions (.la)");
    expect(stepText(procedure, 15)).not.toContain("$ COPY");
  });

  it("comments automake's dependency files", async () => {
    const { read } = await translate(realLog);
    const text = stepText(read("build.com"), 3);
    expect(text).toContain("dependency tracking");
    expect(text).not.toContain("RENAME");
  });

  it("deassigns the image's logical name with the root logical", async () => {
    const { read } = await translate(realLog);
    const closing = read("build.com").slice(read("build.com").indexOf("$! Build finished"));
    expect(closing.replace(/ -\n +/g, " ")).toContain(
      'F$TRNLNM("LIBDEMO","LNM$PROCESS") .NES. "" THEN DEASSIGN LIBDEMO',
    );
  });

  it("gives the same procedure in a worker thread", async () => {
    const plain = await translate(realLog);
    const threaded = await translate(realLog, [], THREADED);
    const body = (text: string) => text.slice(text.indexOf("$! [1] "));
    expect(body(threaded.read("build.com"))).toBe(body(plain.read("build.com")));
  });

  it("orders the program after the image in a description file", async () => {
    const directory = scratch();
    const exports = path.join(directory, "exports.txt");
    writeFileSync(exports, "demo_version\n");
    const output = path.join(directory, "DESCRIP.MMS");
    const run = await runCli(["translate", realLog, "-f", "mms", "-o", output, "--exports", exports]);
    expect(run.code).toBe(0);
    const description = readFileSync(output, "utf8");
    const rule = description.slice(description.indexOf("[.^.LIBS]DEMOCLI.EXE :"));
    expect(rule.split("\n\t")[0]).toContain("[.^.LIBS]LIBDEMO.EXE");
    const prepare = description.slice(
      description.indexOf("prepare :"),
      description.indexOf("\n\n", description.indexOf("prepare :")),
    );
    expect(prepare).not.toContain("DELETE");
  });
});

describe("translate libtool's symbolic links", () => {
  const linkedLog = () =>
    logFile(
      [
        "libtool: link: gcc -shared -fPIC -DPIC .libs/a.o -Wl,-soname -Wl,libfoo-1.so.2 -o .libs/libfoo-1.so.2.0.0",
        'libtool: link: (cd ".libs" && rm -f "libfoo.so" && ln -s "libfoo-1.so.2.0.0" "libfoo.so")',
        "libtool: link: gcc -o .libs/prog prog.o ./.libs/libfoo.so",
        "gcc -o other other.o -L.libs -lfoo",
        "",
      ].join("\n"),
    );

  it("makes no copy for a link to a shareable image", async () => {
    const { read } = await translate(linkedLog());
    const text = stepText(read("build.com"), 3);
    expect(text).toContain("takes the shareable image");
    expect(text).not.toContain("$ COPY");
  });

  it("links a program against the image the link names", async () => {
    const { read } = await translate(linkedLog());
    expect(read("prog.opt")).toContain("[.^.LIBS]LIBFOO-1.EXE/SHAREABLE");
  });

  it("finds the image for -l through the link", async () => {
    const { read } = await translate(linkedLog());
    expect(read("other.opt")).toContain("LIBFOO-1.EXE/SHAREABLE");
  });

  it("still deletes a file no product shares a name with", async () => {
    const log = logFile("gcc -o prog prog.o\nrm -f core\n");
    const { read } = await translate(log);
    expect(stepText(read("build.com"), 2)).toContain("DELETE/NOLOG/NOCONFIRM CORE.;*");
  });
});

describe("translate a convenience library", () => {
  const log = () =>
    logFile(
      [
        "make: Entering directory '/p'",
        "/bin/bash ./libtool  --tag=CC   --mode=compile gcc -g -O2 -c -o a.lo a.c",
        "libtool: compile:  gcc -g -O2 -c a.c  -fPIC -DPIC -o .libs/a.o",
        "libtool: compile:  gcc -g -O2 -c a.c -o a.o >/dev/null 2>&1",
        "/bin/bash ./libtool  --tag=CC   --mode=link gcc -g -O2 -o libc1.la  a.lo",
        "libtool: link: ar cr .libs/libc1.a .libs/a.o",
        "libtool: link: ranlib .libs/libc1.a",
        "make: Leaving directory '/p'",
        "",
      ].join("\n"),
    );

  it("archives the object the compile writes", async () => {
    const { read } = await translate(log());
    expect(read("build.com")).toContain('$ LIBRARY/REPLACE "[.^.LIBS]LIBC1.OLB" A.OBJ\n');
  });

  it("gets no foreign command from setup", async () => {
    const directory = scratch();
    const run = await runCli(["setup", log(), "-o", path.join(directory, "setup.com")]);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(directory, "setup.com"), "utf8")).not.toContain("LIBC1");
  });
});

describe("translate a log of libtool's own commands", () => {
  const onlyWrappers = (lines: string[]) =>
    logFile(["make: Entering directory '/p'", ...lines, "make: Leaving directory '/p'", ""].join("\n"));

  it("names a libtool library's image after the library", async () => {
    const log = onlyWrappers([
      "/bin/bash ./libtool --tag=CC --mode=link gcc -o liba.la -rpath /usr/lib a.lo",
      "/bin/bash ./libtool --tag=CC --mode=link gcc -o prog prog.o liba.la",
    ]);
    const { read } = await translate(log);
    expect(read("build.com")).toContain("$ LINK/SHAREABLE=LIBA.EXE ");
    expect(read("prog.opt")).toContain("SRC$ROOT:[000000]LIBA.EXE/SHAREABLE");
  });

  it("builds a convenience library as an object library", async () => {
    const log = onlyWrappers([
      "/bin/bash ./libtool --tag=CC --mode=link gcc -o libconv.la a.lo b.lo",
      "/bin/bash ./libtool --tag=CC --mode=link gcc -o prog prog.o libconv.la",
    ]);
    const { read } = await translate(log);
    expect(read("build.com")).toContain("$ LIBRARY/REPLACE LIBCONV.OLB A.OBJ,B.OBJ");
    expect(read("prog.opt")).toContain("SRC$ROOT:[000000]LIBCONV.OLB/LIBRARY");
  });

  it("leaves a convenience library of libraries to the porter", async () => {
    const log = onlyWrappers(["/bin/bash ./libtool --tag=CC --mode=link gcc -o liball.la a.lo libsub.la"]);
    const { run, read } = await translate(log, ["--strict"]);
    expect(run.code).toBe(1);
    expect(read("build.com")).toContain("takes in libsub.la besides objects");
  });
});
