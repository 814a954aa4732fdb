import { existsSync, promises as fs } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { inputError } from "../util/io.js";

/** The configuration file as described by `schemas/config.schema.json`. */
export interface ConfigFile {
  target?: "alpha" | "ia64" | "x86_64";
  pointerSize?: 32 | 64;
  vmsVersion?: string;
  rules?: string[];
  parse?: { directory?: string; jobs?: number };
  translate?: {
    format?: "dcl" | "mms";
    rootLogical?: string;
    sourceRoot?: string;
    directory?: string;
    exports?: string;
    maxCommand?: number;
    strict?: boolean;
  };
  scan?: {
    include?: string[];
    exclude?: string[];
    define?: string[];
    undefine?: string[];
    /** config.h files whose #define and #undef lines become macro facts; relative to the configuration file. */
    configHeaders?: string[];
    ods?: 2 | 5;
    failOn?: "error" | "warning" | "info" | "none";
    minSeverity?: "error" | "warning" | "info";
    baseline?: string;
    maxFileSize?: number;
    jobs?: number;
    followSymlinks?: boolean;
    allowSkips?: boolean;
    inlineSuppressions?: boolean;
    includeInactive?: boolean;
    disable?: string[];
  };
  config?: { format?: "header" | "json" | "text" };
  setup?: { rootLogical?: string; sourceRoot?: string; profile?: "unix" | "minimal" };
}

/** A configuration file that was found and loaded, with the directory its relative paths are resolved against. */
export interface LoadedConfig {
  file: string | undefined;
  directory: string;
  /** The file was found by the search from the current directory, not named with `--config`. */
  found: boolean;
  settings: ConfigFile;
}

export const CONFIG_FILE_NAMES = [
  "vmsport.config.json",
  "vmsport.config.yaml",
  "vmsport.config.yml",
] as const;

const require = createRequire(import.meta.url);

/**
 * Look for a configuration file in `start` and its parents. The walk stops after the first directory that
 * contains `.git`, so a file outside the repository never applies to it.
 */
export function findConfigFile(start: string): string | undefined {
  let directory = path.resolve(start);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(directory, name);
      if (existsSync(candidate)) return candidate;
    }
    if (existsSync(path.join(directory, ".git"))) return undefined;
    const parent = path.dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * Parse and validate a configuration file's text. The YAML parser and the schema validator are imported
 * here, not at start-up, because most runs have no configuration file.
 */
export async function parseConfigFile(text: string, file: string): Promise<ConfigFile> {
  const { loadStructured } = await import("../util/structured.js");
  const schema = require("../../schemas/config.schema.json") as object;
  return loadStructured<ConfigFile>(
    text,
    file,
    schema,
    "configuration file",
    "See schemas/config.schema.json in the vmsport package for the allowed settings.",
  ).data;
}

/** Load the configuration named by `--config`, or the one found from `cwd`, or an empty one. */
export async function loadConfig(explicit: string | undefined, cwd: string): Promise<LoadedConfig> {
  const file = explicit ?? findConfigFile(cwd);
  if (file === undefined) return { file: undefined, directory: cwd, found: false, settings: {} };
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    throw inputError(error, file, "configuration file");
  }
  return {
    file,
    directory: path.dirname(path.resolve(file)),
    found: explicit === undefined,
    settings: await parseConfigFile(text, file),
  };
}
