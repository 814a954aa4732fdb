/**
 * Translation between Unix paths and OpenVMS file specifications. The DCL and MMS emitter, the scanner's
 * file-name rules and `vmsport path` all call this module, so every Unix → VMS decision lives here.
 *
 * Sources: OpenVMS HELP "Ext_File_Specs" (ODS-5 characters, caret escapes, directory limits) and HELP "CRTL
 * Feature_Logical_Names DECC$DISABLE_POSIX_ROOT" (how the C run-time library maps `/`, `/dev/null`, `/tmp`,
 * `/bin` and the first component of an absolute path).
 */
import { UserError } from "../util/errors.js";
import {
  CaretEscapeError,
  checkName,
  decodeCaretEscapes,
  describeCharacter,
  escapeOds5Name,
  lowerAscii,
  MAX_DIRECTORY_DEPTH,
  type NameKind,
  type OdsLevel,
  type PathProblem,
  typeDotIndex,
  upperAscii,
} from "./ods-names.js";

export {
  checkOds2Name,
  checkOds5Name,
  decodeCaretEscapes,
  escapeOds5Name,
  type NameKind,
  type OdsLevel,
  type PathProblem,
  type PathProblemCode,
} from "./ods-names.js";

/**
 * Case of the names in a VMS specification. `upper` is the usual DCL presentation, and `preserve` keeps the
 * Unix case, which an ODS-5 volume stores as given.
 */
export type VmsCase = "upper" | "preserve";

/** Case of the names in a Unix path made from a VMS specification. */
export type UnixCase = "lower" | "preserve";

/**
 * An absolute Unix directory that a logical name stands for on OpenVMS. The logical name is used as a
 * concealed rooted logical, defined for example with
 * `DEFINE/TRANSLATION=CONCEALED SRC$ROOT DKA0:[USER.SRC.ZLIB.]`.
 */
export interface RootMapping {
  /** Absolute Unix directory, for example `/home/user/src/zlib`. */
  unixPrefix: string;
  /** Logical name without the colon, for example `SRC$ROOT`. */
  logical: string;
}

export interface UnixToVmsOptions {
  /** Structure level of the target volume, 5 by default. */
  ods?: OdsLevel;
  /** Default `upper` (see `defaultVmsCase`). */
  case?: VmsCase;
  /** Absolute Unix directories to write as logical names. The longest matching prefix wins. */
  roots?: readonly RootMapping[];
  /** Map `/dev/null`, `/tmp` and `/bin` the way the C run-time library does (default true). */
  crtlSpecialNames?: boolean;
  /** Write `[]` before a file in the current directory (`[]C.C`) so that no sticky default applies. */
  explicitCurrentDirectory?: boolean;
}

/** A translated specification and the names in it that the target volume cannot hold. */
export interface VmsSpecResult {
  spec: string;
  problems: PathProblem[];
}

export interface VmsToUnixOptions {
  /** Default `lower`, as the C run-time library reports names when `DECC$EFS_CASE_PRESERVE` is disabled. */
  case?: UnixCase;
  /** Keep a version number as `;n` at the end of the path instead of dropping it. */
  keepVersion?: boolean;
  /** Logical names to write back as the Unix directories they stand for. */
  roots?: readonly RootMapping[];
  /** Map `NLA0:`, `SYS$SCRATCH:` and `SYS$SYSTEM:` back to `/dev/null`, `/tmp` and `/bin` (default true). */
  crtlSpecialNames?: boolean;
}

/** Directory part of a parsed VMS specification, with caret escapes decoded. */
export interface VmsDirectory {
  /** `true` for `[.A]`, `[-]` and `[]`, `false` for `[A]` and `[000000]`. */
  relative: boolean;
  /** Number of parent steps (`[-.-]` is 2), always 0 for an absolute directory. */
  up: number;
  /** Directory names below the starting point, empty for `[000000]`. */
  names: string[];
}

/** A VMS file specification split into its fields, with caret escapes decoded. */
export interface VmsFileSpec {
  device?: string;
  directory?: VmsDirectory;
  /** File name, empty for a directory specification such as `[.A]` or a device alone. */
  name: string;
  /** File type without the dot: `undefined` when the specification has no dot, `""` for `NAME.`. */
  type?: string;
  version?: string;
}

/**
 * An OpenVMS file specification that cannot be parsed. `column` is the 1-based position of the problem
 * inside the specification.
 */
export class InvalidFileSpecError extends UserError {
  constructor(
    readonly spec: string,
    readonly reason: string,
    readonly column: number,
  ) {
    super(`invalid OpenVMS file specification "${spec}": ${reason} (column ${column})`, {
      hint: "Write it as DEVICE:[DIRECTORY]NAME.TYPE;VERSION and put a caret (^) before special characters in names.",
    });
    this.name = "InvalidFileSpecError";
  }
}

/**
 * Picks the case of VMS names when the caller gives none: upper case on both structure levels, the form DCL
 * shows and porters write. ODS-2 stores names upper-cased, and ODS-5 looks names up case-blind by default,
 * so an upper-case specification finds the file either way. `preserve` is for ODS-5 volumes where the
 * process uses `SET PROCESS/CASE_LOOKUP=SENSITIVE`, or where created files must keep the Unix name that code
 * running with `DECC$EFS_CASE_PRESERVE` expects.
 */
export function defaultVmsCase(_ods: OdsLevel): VmsCase {
  return "upper";
}

// ---------------------------------------------------------------------------------------------------------
// Unix paths

/** A normalised Unix path: no `.` components, `..` only at the start of a relative path. */
export interface UnixPath {
  absolute: boolean;
  /** Leading `..` steps of a relative path. */
  up: number;
  directories: string[];
  /** Last component when the path names a file; `undefined` for a directory (trailing `/`, `.` or `..`). */
  file: string | undefined;
}

function invalidUnixPath(path: string, reason: string): UserError {
  return new UserError(`invalid Unix path "${path}": ${reason}`, {
    hint: "Give a relative path such as src/main.c or an absolute one such as /usr/include/stdio.h.",
  });
}

/**
 * Parses and normalises a Unix path: repeated slashes and `.` components go, `name/..` pairs cancel, and
 * `..` above `/` stays at `/` as POSIX defines. Throws a UserError for an empty path or one with a NUL.
 */
export function parseUnixPath(path: string): UnixPath {
  if (path === "") throw invalidUnixPath(path, "the path is empty");
  if (path.includes("\0"))
    throw invalidUnixPath(path.replaceAll("\0", "\\0"), "the path contains a NUL character");

  const absolute = path.startsWith("/");
  const components = path.split("/");
  const last = components[components.length - 1];
  const namesDirectory = last === "" || last === "." || last === "..";
  const stack: string[] = [];
  let up = 0;
  for (const component of components) {
    if (component === "" || component === ".") continue;
    if (component !== "..") {
      stack.push(component);
    } else if (stack.length > 0) {
      stack.pop();
    } else if (!absolute) {
      up++;
    }
  }
  const file = namesDirectory ? undefined : stack.pop();
  return { absolute, up, directories: stack, file };
}

/** Writes a parsed Unix path in its normal form: `../a/b/c.c`, `a/b/` for a directory, `./` for `.`. */
export function formatUnixPath(path: UnixPath): string {
  const parts = [...Array<string>(path.up).fill(".."), ...path.directories];
  if (path.file !== undefined) parts.push(path.file);
  let text = parts.join("/");
  if (path.file === undefined && parts.length > 0) text += "/";
  if (path.absolute) return `/${text}`;
  return text === "" ? "./" : text;
}

/** Returns the normal form of a Unix path (see `parseUnixPath` and `formatUnixPath`). */
export function normalizeUnixPath(path: string): string {
  return formatUnixPath(parseUnixPath(path));
}

// ---------------------------------------------------------------------------------------------------------
// Root mappings

const LOGICAL_NAME = /^[A-Za-z0-9$_-]{1,255}$/;

/**
 * Checks a root mapping and returns it with the logical name upper-cased and without a trailing colon.
 * Throws a UserError when the prefix is not absolute or the logical name has characters DCL would not
 * accept unquoted.
 */
export function validateRootMapping(mapping: RootMapping): RootMapping {
  const logical = mapping.logical.endsWith(":") ? mapping.logical.slice(0, -1) : mapping.logical;
  if (!LOGICAL_NAME.test(logical)) {
    throw new UserError(`invalid logical name "${mapping.logical}" in a root mapping`, {
      hint: "Use letters, digits, $, _ and -, for example SRC$ROOT.",
    });
  }
  if (!mapping.unixPrefix.startsWith("/")) {
    throw new UserError(
      `the Unix prefix "${mapping.unixPrefix}" of logical name ${logical} is not absolute`,
      {
        hint: "Give an absolute directory such as /home/user/src/zlib.",
      },
    );
  }
  return { unixPrefix: normalizeUnixPath(`${mapping.unixPrefix}/`), logical: upperAscii(logical) };
}

/** Parses the command-line form `NAME=UNIXPREFIX`, for example `SRC$ROOT=/home/user/src/zlib`. */
export function parseRootMapping(text: string): RootMapping {
  const equals = text.indexOf("=");
  if (equals <= 0 || equals === text.length - 1) {
    throw new UserError(`invalid root mapping "${text}"`, {
      hint: "Write it as LOGICAL=UNIXPREFIX, for example SRC$ROOT=/home/user/src/zlib.",
    });
  }
  return validateRootMapping({ logical: text.slice(0, equals), unixPrefix: text.slice(equals + 1) });
}

function prefixComponents(mapping: RootMapping): string[] {
  return parseUnixPath(`${mapping.unixPrefix}/`).directories;
}

/** Finds the mapping with the longest prefix that contains the path and returns the components below it. */
function matchRoot(
  components: readonly string[],
  roots: readonly RootMapping[],
): { logical: string; rest: string[] } | undefined {
  let best: { logical: string; rest: string[]; length: number } | undefined;
  for (const root of roots) {
    const mapping = validateRootMapping(root);
    const prefix = prefixComponents(mapping);
    if (prefix.length > components.length) continue;
    if (!prefix.every((component, index) => components[index] === component)) continue;
    if (best !== undefined && best.length >= prefix.length) continue;
    best = { logical: mapping.logical, rest: components.slice(prefix.length), length: prefix.length };
  }
  return best && { logical: best.logical, rest: best.rest };
}

// ---------------------------------------------------------------------------------------------------------
// Unix → VMS

interface Translation {
  ods: OdsLevel;
  letterCase: VmsCase;
  problems: PathProblem[];
}

function translateName(name: string, kind: NameKind, translation: Translation): string {
  for (const problem of checkName(name, translation.ods, kind)) addProblem(translation.problems, problem);
  const cased = translation.letterCase === "upper" ? upperAscii(name) : name;

  // ODS-2 names are reported, not escaped, so they are written as they are.
  if (translation.ods === 2) {
    if (kind === "file" && !cased.includes(".")) return `${cased}.`;
    return cased;
  }
  const escaped = escapeOds5Name(cased, kind);
  // Without the dot a command would apply its default type: CC reads MAKEFILE as MAKEFILE.C.
  if (kind === "file" && typeDotIndex(cased) < 0) return `${escaped}.`;
  return escaped;
}

function addProblem(problems: PathProblem[], problem: PathProblem): void {
  const duplicate = problems.some(
    (known) =>
      known.code === problem.code && known.name === problem.name && known.character === problem.character,
  );
  if (!duplicate) problems.push(problem);
}

function checkDepth(path: string, depth: number, translation: Translation): void {
  if (depth <= MAX_DIRECTORY_DEPTH) return;
  addProblem(translation.problems, {
    code: "directory-too-deep",
    ods: translation.ods,
    name: path,
    message: `directories nest at most ${MAX_DIRECTORY_DEPTH} levels deep, this path has ${depth}`,
  });
}

function checkDeviceName(device: string, translation: Translation): void {
  if (LOGICAL_NAME.test(device)) return;
  addProblem(translation.problems, {
    code: "invalid-character",
    ods: translation.ods,
    name: device,
    message: `"${device}" cannot be a device or logical name, so map its directory to a root logical name`,
  });
}

/** Formats `[A.B]`, `[.A.B]`, `[-.-.A]` or `[]` from already translated names. */
function formatDirectory(relative: boolean, up: number, names: readonly string[]): string {
  if (!relative) return `[${names.length === 0 ? "000000" : names.join(".")}]`;
  if (up === 0 && names.length > 0) return `[.${names.join(".")}]`;
  return `[${[...Array<string>(up).fill("-"), ...names].join(".")}]`;
}

const CRTL_DEVICES: Readonly<Record<string, string>> = { tmp: "SYS$SCRATCH", bin: "SYS$SYSTEM" };

function translateAbsolute(path: UnixPath, options: UnixToVmsOptions, translation: Translation): string {
  const components = [...path.directories];
  if (path.file !== undefined) components.push(path.file);
  const fileName = (name: string | undefined) =>
    name === undefined ? "" : translateName(name, "file", translation);
  const directories = (names: readonly string[]) =>
    names.map((name) => translateName(name, "directory", translation));

  const root = matchRoot(components, options.roots ?? []);
  if (root !== undefined) {
    if (root.rest.length === 0) return `${root.logical}:[000000]`;
    const below = path.file === undefined ? root.rest : root.rest.slice(0, -1);
    checkDepth(formatUnixPath(path), below.length, translation);
    // A concealed rooted logical needs [000000] to name its top directory. Perl's ExtUtils::CBuilder tests
    // write PERL_ROOT:[000000]PERL.EXE the same way.
    return `${root.logical}:${formatDirectory(false, 0, directories(below))}${fileName(path.file)}`;
  }

  const crtl = options.crtlSpecialNames ?? true;
  if (crtl && path.file === "null" && path.directories.length === 1 && path.directories[0] === "dev") {
    return "NLA0:";
  }

  const [first, ...rest] = components;
  // "/" is the POSIX root, which the C run-time library reaches through the concealed logical SYS$POSIX_ROOT.
  if (first === undefined) return "SYS$POSIX_ROOT:[000000]";
  const device = crtl && CRTL_DEVICES[first] !== undefined ? CRTL_DEVICES[first] : upperAscii(first);
  checkDeviceName(device, translation);

  // Like the C run-time library, the first component is taken as a device or logical name, and a path with
  // nothing after it names that device's default directory (DEV:), not its top directory (DEV:[000000]).
  // NOTE: the C run-time library falls back to SYS$POSIX_ROOT when that name is not a logical name, which
  // cannot be known here, so /usr/include becomes USR:[INCLUDE]. Map such trees with a RootMapping.
  const below = path.file === undefined ? rest : rest.slice(0, -1);
  checkDepth(formatUnixPath(path), below.length, translation);
  const directory = below.length === 0 ? "" : formatDirectory(false, 0, directories(below));
  return `${device}:${directory}${path.file === undefined || rest.length === 0 ? "" : fileName(path.file)}`;
}

function translateRelative(path: UnixPath, options: UnixToVmsOptions, translation: Translation): string {
  checkDepth(formatUnixPath(path), path.directories.length, translation);
  const names = path.directories.map((name) => translateName(name, "directory", translation));
  const file = path.file === undefined ? "" : translateName(path.file, "file", translation);
  const empty = path.up === 0 && names.length === 0;
  if (empty && path.file !== undefined && options.explicitCurrentDirectory !== true) return file;
  return `${formatDirectory(true, path.up, names)}${file}`;
}

/**
 * Translates a Unix path to an OpenVMS file specification: `a/b/c.c` → `[.A.B]C.C`, `../x.h` → `[-]X.H`,
 * `/dev/dir/f` → `DEV:[DIR]F.`, `a/b/` → `[.A.B]`. A file without a type gets a trailing dot. On ODS-5 the
 * names are caret-escaped, and on ODS-2 they are written as given and every name the volume cannot hold is
 * listed in `problems`. Throws a UserError for an empty path, a NUL or an invalid root mapping.
 */
export function unixToVms(path: string, options: UnixToVmsOptions = {}): VmsSpecResult {
  const ods = options.ods ?? 5;
  const translation: Translation = { ods, letterCase: options.case ?? defaultVmsCase(ods), problems: [] };
  const parsed = parseUnixPath(path);
  const spec = parsed.absolute
    ? translateAbsolute(parsed, options, translation)
    : translateRelative(parsed, options, translation);
  return { spec, problems: translation.problems };
}

/** Translates a Unix path that names a directory, with or without a trailing slash: `a/b` → `[.A.B]`. */
export function unixDirectoryToVms(directory: string, options: UnixToVmsOptions = {}): VmsSpecResult {
  return unixToVms(directory.endsWith("/") ? directory : `${directory}/`, options);
}

// ---------------------------------------------------------------------------------------------------------
// VMS → Unix

/** Finds the first unescaped occurrence of one of `characters` at or after `from`, or -1. */
function findUnescaped(text: string, characters: string, from = 0): number {
  for (let index = from; index < text.length; index++) {
    const character = text.charAt(index);
    if (character === "^") index++;
    else if (characters.includes(character)) return index;
  }
  return -1;
}

/** Splits at every unescaped `separator`, keeping escapes in the parts. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (
    let index = findUnescaped(text, separator);
    index >= 0;
    index = findUnescaped(text, separator, start)
  ) {
    parts.push(text.slice(start, index));
    start = index + 1;
  }
  parts.push(text.slice(start));
  return parts;
}

const WILDCARDS = "*%?";

/** Unescaped characters that cannot appear inside a name or a directory level. */
const NAME_DELIMITERS = `${WILDCARDS}[]<>:;/\\" \t,&`;
/** Delimiters that no ODS-5 name can hold, escaped or not, except in the hex form `^xx`. */
const UNESCAPABLE = `<>:\\"\t`;

class SpecParser {
  constructor(readonly spec: string) {}

  fail(reason: string, offset: number): never {
    throw new InvalidFileSpecError(this.spec, reason, offset + 1);
  }

  /** Decodes one name, rejecting unescaped delimiters and wildcards; `offset` is where `text` starts. */
  decodeName(text: string, offset: number): string {
    const bad = findUnescaped(text, NAME_DELIMITERS);
    if (bad >= 0) {
      const character = text.charAt(bad);
      if (WILDCARDS.includes(character)) {
        this.fail(`the wildcard "${character}" matches many files and has no single Unix path`, offset + bad);
      }
      if (character === "/") {
        this.fail(
          '"/" separates Unix directories and cannot appear in an OpenVMS file specification',
          offset + bad,
        );
      }
      if (UNESCAPABLE.includes(character)) {
        this.fail(`${describeCharacter(character)} cannot appear in an OpenVMS name`, offset + bad);
      }
      const escaped = character === " " ? "^_" : `^${character}`;
      this.fail(`${describeCharacter(character)} must be escaped as ${escaped} inside a name`, offset + bad);
    }
    try {
      return decodeCaretEscapes(text);
    } catch (error) {
      if (error instanceof CaretEscapeError) this.fail(error.message, offset + error.offset);
      throw error;
    }
  }

  parseDirectory(content: string, offset: number): VmsDirectory {
    if (content === "") return { relative: true, up: 0, names: [] };
    if (content.replace(/\^./g, "__").includes("...")) {
      this.fail('the wildcard "..." matches many directories and has no single Unix path', offset);
    }
    const levels = splitUnescaped(content.startsWith(".") ? content.slice(1) : content, ".");
    const relative = content.startsWith(".") || /^-+$/.test(levels[0] ?? "");
    const directory: VmsDirectory = { relative, up: 0, names: [] };
    let position = offset + (content.startsWith(".") ? 1 : 0);
    for (const [index, level] of levels.entries()) {
      if (level === "") {
        const reason =
          index === levels.length - 1
            ? "a directory ending in a dot is a rooted directory, which only a logical name definition may contain"
            : "a directory level is empty";
        this.fail(reason, position);
      }
      if (/^-+$/.test(level)) {
        this.applyParentSteps(directory, level.length, position);
      } else if (level === "000000" && index === 0 && !relative) {
        // [000000] is the top directory of the volume, so [000000.A] is the same as [A].
      } else {
        directory.names.push(this.decodeName(level, position));
      }
      position += level.length + 1;
    }
    return directory;
  }

  applyParentSteps(directory: VmsDirectory, steps: number, offset: number): void {
    for (let step = 0; step < steps; step++) {
      if (directory.names.length > 0) directory.names.pop();
      else if (directory.relative) directory.up++;
      else this.fail("a parent step (-) goes above the top directory", offset);
    }
  }

  parse(): VmsFileSpec {
    const spec = this.spec;
    if (spec === "") this.fail("the specification is empty", 0);
    const result: VmsFileSpec = { name: "" };
    let rest = 0;

    const colon = findUnescaped(spec, ":");
    const bracket = findUnescaped(spec, "[<");
    if (colon >= 0 && (bracket < 0 || colon < bracket)) {
      if (spec.charAt(colon + 1) === ":") this.fail("DECnet node names have no Unix form", colon);
      const device = spec.slice(0, colon);
      if (!LOGICAL_NAME.test(device)) {
        this.fail("a device or logical name may contain only letters, digits, $, _ and -", 0);
      }
      result.device = device;
      rest = colon + 1;
    }

    const open = spec.charAt(rest);
    if (open === "[" || open === "<") {
      const closing = open === "[" ? "]" : ">";
      const close = findUnescaped(spec, closing, rest + 1);
      if (close < 0) this.fail(`the directory has no closing "${closing}"`, rest);
      result.directory = this.parseDirectory(spec.slice(rest + 1, close), rest + 1);
      rest = close + 1;
      const after = spec.charAt(rest);
      if (after === "[" || after === "<") {
        this.fail("a second directory follows the first; use one directory", rest);
      }
    }

    this.parseFileName(spec.slice(rest), rest, result);
    if (
      result.device === undefined &&
      result.directory === undefined &&
      result.name === "" &&
      result.type === undefined
    ) {
      this.fail("the specification has no device, directory or file name", 0);
    }
    return result;
  }

  parseFileName(text: string, offset: number, result: VmsFileSpec): void {
    const semicolon = findUnescaped(text, ";");
    let body = text;
    if (semicolon >= 0) {
      result.version = this.parseVersion(text.slice(semicolon + 1), offset + semicolon + 1);
      body = text.slice(0, semicolon);
    }

    const parts = splitUnescaped(body, ".");
    // An ODS-2 style version written after a second dot (NAME.TYPE.3), when no ";" gave one already.
    const last = parts[parts.length - 1] ?? "";
    if (parts.length > 2 && semicolon < 0 && /^-?\d+$/.test(last)) {
      result.version = this.parseVersion(last, offset + body.length - last.length);
      parts.pop();
    }

    // With more than one dot left, the extra dots belong to the name, as in an ODS-5 extended name.
    const typeText = parts.length > 1 ? (parts.pop() ?? "") : undefined;
    const decoded: string[] = [];
    let position = offset;
    for (const part of parts) {
      decoded.push(this.decodeName(part, position));
      position += part.length + 1;
    }
    result.name = decoded.join(".");
    if (typeText !== undefined) result.type = this.decodeName(typeText, position);
  }

  parseVersion(text: string, offset: number): string {
    if (text === "*") this.fail('the wildcard version ";*" has no single Unix path', offset);
    if (!/^(-?\d{1,5})?$/.test(text) || Number(text) > 32767)
      this.fail("a version is a number from 0 to 32767", offset);
    return text;
  }
}

/**
 * Parses an OpenVMS file specification into device, directory, name, type and version, decoding caret
 * escapes. Both `[...]` and `<...>` delimit the directory. Throws InvalidFileSpecError (a UserError) for a
 * node name, a wildcard, an unbalanced bracket, a rooted directory such as `[A.]`, or a bad version.
 */
export function parseVmsSpec(spec: string): VmsFileSpec {
  return new SpecParser(spec).parse();
}

const CRTL_UNIX_NAMES: Readonly<Record<string, string>> = {
  NLA0: "/dev/null",
  SYS$SCRATCH: "/tmp",
  SYS$SYSTEM: "/bin",
};

function findRootByLogical(device: string, roots: readonly RootMapping[]): RootMapping | undefined {
  const logical = upperAscii(device);
  return roots.map(validateRootMapping).find((root) => root.logical === logical);
}

/** Returns the Unix directory a device or logical name starts from, without a trailing slash. */
function deviceToUnix(device: string, options: VmsToUnixOptions): string {
  const root = findRootByLogical(device, options.roots ?? []);
  if (root !== undefined) return root.unixPrefix.replace(/\/$/, "");
  const upper = upperAscii(device);
  if ((options.crtlSpecialNames ?? true) && CRTL_UNIX_NAMES[upper] !== undefined)
    return CRTL_UNIX_NAMES[upper];
  if (upper === "SYS$POSIX_ROOT") return "";
  return `/${options.case === "preserve" ? device : lowerAscii(device)}`;
}

/**
 * Translates an OpenVMS file specification to a Unix path: `[.A.B]C.C` → `a/b/c.c`, `[-]X.H` → `../x.h`,
 * `DEV:[DIR]F.` → `/dev/dir/f`, `SYS$LOGIN:F` → `/sys$login/f`. An absolute directory without a device is
 * on the default device, so `[A.B]F.C` → `/sys$disk/a/b/f.c`, which translates back to `SYS$DISK:[A.B]F.C`.
 * A directory file, written with its version as `NAME.DIR;1`, and a directory specification end in `/`.
 * `NAME.DIR` without the version stays a file, because a Unix file may have the type `.dir`. Throws
 * InvalidFileSpecError (a UserError) when the specification cannot be parsed.
 */
export function vmsToUnix(spec: string, options: VmsToUnixOptions = {}): string {
  const parsed = parseVmsSpec(spec);
  const setCase = (text: string) => (options.case === "preserve" ? text : lowerAscii(text));

  const directory: VmsDirectory = parsed.directory ?? { relative: true, up: 0, names: [] };
  const names = [...directory.names];
  let file: string | undefined;
  const isDirectoryFile =
    parsed.name !== "" &&
    parsed.type !== undefined &&
    upperAscii(parsed.type) === "DIR" &&
    parsed.version === "1";
  if (isDirectoryFile) {
    names.push(parsed.name);
  } else if (parsed.name !== "" || parsed.type !== undefined) {
    file = parsed.name;
    if (parsed.type !== undefined && parsed.type !== "") file += `.${parsed.type}`;
    if (parsed.type === "" && parsed.name === "") {
      throw new InvalidFileSpecError(spec, "the file name and type are both empty", spec.length);
    }
  }

  let start: string;
  if (parsed.device !== undefined) {
    if (directory.relative && (directory.up > 0 || directory.names.length > 0)) {
      throw new InvalidFileSpecError(
        spec,
        "a relative directory after a device depends on that device's default directory, which has no Unix form",
        parsed.device.length + 2,
      );
    }
    start = deviceToUnix(parsed.device, options);
  } else if (!directory.relative) {
    start = "/sys$disk";
  } else {
    start = "";
  }

  const segments = [...Array<string>(directory.up).fill(".."), ...names.map(setCase)];
  if (file !== undefined) segments.push(setCase(file));
  let path = segments.join("/");
  const namesDirectory = file === undefined;
  if (parsed.device !== undefined || !directory.relative) {
    // A device alone (DEV:) stays without a slash, but DEV:[000000] and DEV:[A] are directories.
    const deviceOnly = parsed.directory === undefined && segments.length === 0;
    path = deviceOnly ? start || "/" : `${start}/${path}`;
  } else if (path === "") {
    path = ".";
  }
  if (namesDirectory && !path.endsWith("/") && (parsed.directory !== undefined || isDirectoryFile))
    path += "/";
  if (options.keepVersion && parsed.version !== undefined && !isDirectoryFile) path += `;${parsed.version}`;
  return path;
}
