/**
 * Finding the command of a command line without commander, so `main.ts` can act on it before the CLI's
 * modules are loaded.
 */

/** Global options that take a value, in the spellings commander accepts. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(["-c", "--config"]);

/**
 * Find the command a command line runs, the way commander reads it: the first operand after the global
 * options, or the operand after "help". Returns undefined when there is none.
 */
export function commandNameOf(argv: readonly string[]): string | undefined {
  let afterHelp = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (argument === "--") return undefined;
    if (argument.startsWith("--")) {
      if (GLOBAL_OPTIONS_WITH_VALUE.has(argument)) index++;
      continue;
    }
    if (argument.startsWith("-") && argument.length > 1) {
      // A cluster of short options such as -qc FILE: -c takes the rest of the cluster or the next argument.
      const valueAt = argument.indexOf("c", 1);
      if (valueAt === argument.length - 1) index++;
      continue;
    }
    if (argument === "help" && !afterHelp) {
      afterHelp = true;
      continue;
    }
    return argument;
  }
  return undefined;
}

/**
 * Test whether this command line may run a scan on more than one thread: true for the scan command unless it
 * requests help or sets --jobs (-j) to 1. A configuration file can still set `jobs: 1`, so true is a guess
 * that the scan command checks again.
 */
export function mayScanInParallel(argv: readonly string[]): boolean {
  if (commandNameOf(argv) !== "scan") return false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    if (argument === "--") break;
    if (argument === "-h" || argument === "--help") return false;
    let jobs: string | undefined;
    if (argument === "-j" || argument === "--jobs") jobs = argv[index + 1];
    else if (argument.startsWith("--jobs=")) jobs = argument.slice("--jobs=".length);
    else if (argument.startsWith("-j") && !argument.startsWith("--")) jobs = argument.slice(2);
    if (jobs !== undefined && /^0*1$/.test(jobs)) return false;
  }
  return true;
}
