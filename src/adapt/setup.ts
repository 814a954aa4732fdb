import path from "node:path";
import type { DclCommand, RenderResult } from "../dcl/index.js";
import {
  raw,
  renderAssignment,
  renderCommand,
  renderComment,
  renderExit,
  renderForeignCommand,
  symbol,
} from "../dcl/index.js";
import { DEFAULT_ROOT_LOGICAL, inferSourceRoot, productPath } from "../emit/index.js";
import { isLibtoolConvenienceLibrary } from "../emit/link.js";
import { PathContext } from "../emit/paths.js";
import type { BuildStep, LinkStep } from "../model/steps.js";
import { type FeatureSetting, featureSettings } from "./features.js";
import type { CrtlKnowledgeBase, SetupProfile } from "./types.js";

/** Settings of one generated setup procedure. */
export interface SetupOptions {
  /** Logical name for the source root; default `DEFAULT_ROOT_LOGICAL`, the same as translate's. */
  rootLogical?: string;
  profile?: SetupProfile;
  /**
   * Absolute Unix directory that the root logical translates to. The default is the one `vmsport translate` infers,
   * so that both procedures place images at the same specification.
   */
  sourceRoot?: string;
  /** Name of the log, written in the procedure's first comment. */
  logName?: string;
}

/** A program or shareable image the procedure makes usable. */
export interface SetupImage {
  /** Foreign-command symbol or logical name, upper case. */
  name: string;
  /** File specification of the image, under the root logical. */
  image: string;
  /** Unix output path as the log shows it. */
  output: string;
  /** Log line of the link step. */
  logLine: number;
  /** Set when the Unix name had characters DCL names cannot hold and was changed. */
  renamedFrom?: string;
}

export interface SetupReport {
  rootLogical: string;
  /** Unix directory that the root logical name translates to, or `.` when the log names only relative directories. */
  unixRoot: string;
  profile: SetupProfile;
  executables: SetupImage[];
  shareables: SetupImage[];
  features: FeatureSetting[];
  /** Things the user should check, as sentences. */
  warnings: string[];
}

export interface SetupResult {
  text: string;
  report: SetupReport;
  /** Symbols the procedure substitutes on purpose, for the DCL checker. */
  symbols: string[];
}

/** Local symbols the procedure uses to find its own directory. */
const PROCEDURE_SYMBOLS = ["SETUP_PROC", "SETUP_DEV", "SETUP_DIR", "SETUP_ROOT"];

/**
 * `SET PROCESS/PARSE_STYLE=EXTENDED`. The qualifier belongs to the PROCESS keyword, and the command model
 * places qualifiers after the verb only, so the keyword and qualifier are written as raw text.
 */
const SET_PARSE_STYLE: DclCommand = { verb: "SET", parameters: [raw("PROCESS/PARSE_STYLE=EXTENDED")] };

/**
 * Generates the DCL procedure that prepares a process to run what a build produced. The procedure defines a
 * concealed root logical name from its own location, a foreign command per executable, a logical name per
 * shareable image and the profile's CRTL feature logicals. Every name goes into the process table.
 */
export function generateSetup(
  steps: readonly BuildStep[],
  knowledge: CrtlKnowledgeBase,
  options: SetupOptions = {},
): SetupResult {
  const rootLogical = (options.rootLogical ?? DEFAULT_ROOT_LOGICAL).toUpperCase().replace(/:$/, "");
  const profile = options.profile ?? "unix";
  const warnings: string[] = [];

  const links = uniqueLinks([
    ...steps.filter((step): step is LinkStep => step.kind === "link" && step.status.result !== "failed"),
    ...silentLinks(steps, warnings),
  ]);
  const sourceRoot = options.sourceRoot ?? inferSourceRoot(steps);
  const paths = new PathContext({
    ...(sourceRoot === undefined ? {} : { sourceRoot }),
    rootLogical,
    absoluteViaLogical: true,
  });

  const programs: SetupImage[] = [];
  const libraries: SetupImage[] = [];
  for (const step of links) {
    (step.product === "shared" ? libraries : programs).push(imageOf(step, paths, warnings));
  }
  const executables = dropDuplicates(programs, warnings);
  const shareables = dropDuplicates(libraries, warnings);
  for (const outside of paths.outside.keys())
    warnings.push(
      `${outside} lies outside the source root, so its image is named by an absolute specification`,
    );

  const features = featureSettings(knowledge, profile);
  const lines: string[] = [];
  const add = (result: RenderResult | string[]) => {
    if (Array.isArray(result)) lines.push(...result);
    else if ("lines" in result) lines.push(...result.lines);
    else warnings.push(`a command could not be written: ${result.error.message}`);
  };

  add(
    renderComment(
      `Run-time environment for the build in ${options.logName ?? "the log"}, written by vmsport setup.`,
    ),
  );
  add(
    renderComment(
      `Keep this procedure in the source root, beside BUILD.COM: it defines ${rootLogical} from its own location.`,
    ),
  );
  add(renderComment("Every name goes into the process table; run it with @ in each process that needs it."));
  add(renderAssignment("SETUP_PROC", raw('F$ENVIRONMENT("PROCEDURE")')));
  add(renderAssignment("SETUP_DEV", raw('F$PARSE(SETUP_PROC,,,"DEVICE","NO_CONCEAL")')));
  add(
    renderComment(
      "Join a rooted directory such as [A.][B] into [A.B] ([A.][000000] into [A]), then turn it into the rooted form [A.B.].",
    ),
  );
  // Run as @SRC$ROOT:[000000]SETUP.COM, the procedure's directory comes back as [A.][000000].
  add(
    renderAssignment(
      "SETUP_DIR",
      raw('F$PARSE(SETUP_PROC,,,"DIRECTORY","NO_CONCEAL") - "][" - ".000000" - "]"'),
    ),
  );
  // NOTE: a procedure kept in a volume's top directory gives [000000.], which is not a valid rooted
  // directory; keep the build tree in a subdirectory.
  add(renderAssignment("SETUP_ROOT", raw('SETUP_DEV + SETUP_DIR + ".]"')));
  add(
    renderCommand(
      defineCommand(
        rootLogical,
        symbol("SETUP_ROOT"),
        `${rootLogical} is the source root (${sourceRoot ?? "the directory the build started in"}).`,
        true,
      ),
    ),
  );

  for (const program of executables) {
    add(renderComment(`${program.output}, linked at log line ${program.logLine}`));
    add(renderForeignCommand(program.name, program.image));
  }
  for (const library of shareables) {
    add(
      renderCommand(
        defineCommand(
          library.name,
          library.image,
          `Shareable image ${library.output}, linked at log line ${library.logLine}; the image activator looks it up by this name.`,
        ),
      ),
    );
  }

  if (features.some((feature) => feature.parseStyleExtended)) {
    add(
      renderCommand({
        ...SET_PARSE_STYLE,
        comment:
          "Extended parsing keeps the case of arguments, which DECC$ARGV_PARSE_STYLE passes on to argv.",
      }),
    );
  }
  for (const feature of features) {
    add(
      renderCommand(
        defineCommand(feature.logical, feature.value, `CRTL feature: ${feature.title.replace(/\.$/, "")}.`),
      ),
    );
  }
  add(renderExit());

  if (links.length === 0)
    warnings.push("the log has no link step, so no foreign command or image logical name was written");
  return {
    text: `${lines.join("\n")}\n`,
    report: {
      rootLogical,
      unixRoot: sourceRoot ?? ".",
      profile,
      executables,
      shareables,
      features,
      // libtool's wrapper and its program in `.libs` are one image, so they warn alike.
      warnings: [...new Set(warnings)],
    },
    symbols: [...PROCEDURE_SYMBOLS],
  };
}

/**
 * Generates only the DCL records that set a profile's feature logicals, without comments. The knowledge-base
 * examples of feature logicals are checked against this output.
 */
export function featureRecords(knowledge: CrtlKnowledgeBase, profile: SetupProfile): string[] {
  const lines: string[] = [];
  const features = featureSettings(knowledge, profile);
  const push = (result: RenderResult) => {
    if ("lines" in result) lines.push(...result.lines);
    else lines.push(`! ${result.error.message}`);
  };
  if (features.some((feature) => feature.parseStyleExtended)) {
    push(renderCommand(SET_PARSE_STYLE));
  }
  for (const feature of features) push(renderCommand(defineCommand(feature.logical, feature.value)));
  return lines;
}

function defineCommand(
  name: string,
  value: DclCommand["verb"] | ReturnType<typeof symbol>,
  comment?: string,
  concealed = false,
): DclCommand {
  const qualifiers: DclCommand["qualifiers"] = concealed
    ? [{ name: "PROCESS" }, { name: "NOLOG" }, { name: "TRANSLATION_ATTRIBUTES", value: "CONCEALED" }]
    : [{ name: "PROCESS" }, { name: "NOLOG" }];
  return { verb: "DEFINE", qualifiers, parameters: [name, value], ...(comment ? { comment } : {}) };
}

/** Tags that quiet build output (automake silent rules, redis, kbuild-style makefiles) prints for a link. */
const SILENT_LINK_TAGS = /^(LINK|CCLD|CXXLD|LD)$/;

/**
 * Link steps reconstructed from silent-rule lines such as `LINK redis-server`, which name the output but not
 * the command. They count as executables unless the name looks like a shared library.
 */
function silentLinks(steps: readonly BuildStep[], warnings: string[]): LinkStep[] {
  const links: LinkStep[] = [];
  for (const step of steps) {
    if (step.kind !== "unknown" || !step.silentRule || !SILENT_LINK_TAGS.test(step.silentRule.tag)) continue;
    const output = step.silentRule.target;
    links.push({
      ...step,
      kind: "link",
      tool: step.silentRule.tag,
      language: "unknown",
      product: /\.so(\.|$)|\.la$/.test(output) ? "shared" : "executable",
      output,
      inputs: [],
      libraryDirectories: [],
      libraries: [],
      linkerOptions: [],
      threads: false,
      otherFlags: [],
    });
    warnings.push(
      `${output} is known only from the quiet line "${step.silentRule.tag} ${output}" at log line ${step.origin.startLine}; rebuild with V=1 to confirm its directory`,
    );
  }
  return links;
}

/** Keeps the last link of each output, because a relink replaces the earlier image. */
function uniqueLinks(links: readonly LinkStep[]): LinkStep[] {
  const byOutput = new Map<string, LinkStep>();
  for (const step of links) {
    // A libtool link whose commands the log shows made nothing itself. The `libtool: link:` line names the
    // image, which is the name that programs linked against it record.
    if (isConfigureProbe(step) || isLibtoolConvenienceLibrary(step) || step.libtoolCommandsShown === true)
      continue;
    const key = path.posix.join(step.directory.path, step.output);
    byOutput.delete(key);
    byOutput.set(key, step);
  }
  return [...byOutput.values()];
}

/** Links that configure and cmake run to test the compiler, which leave no program behind. */
function isConfigureProbe(step: LinkStep): boolean {
  const name = path.posix.basename(step.output);
  if (name === "a.out" || /^conftest(\.exe)?$/.test(name)) return true;
  return /CMakeFiles\/CMake(Tmp|Scratch)/.test(`${step.directory.path}/${step.output}`);
}

/**
 * Returns the Unix path of the image a link writes, named as `vmsport translate` names it (`libx.so.1.2` is
 * `libx.exe`, `beam.smp` is `beam_smp.exe`). A libtool library `libx.la` is the shared library that libtool
 * links into `.libs`, which is where the `libtool: link:` line of a verbose log puts it.
 */
function imageUnixPath(step: LinkStep): string {
  const role = step.product === "shared" ? "shared" : "executable";
  const libtool = /^(.*?)([^/]+)\.la$/.exec(step.output);
  if (step.product === "shared" && libtool !== null)
    return productPath(`${libtool[1] ?? ""}.libs/${libtool[2] ?? ""}.so`, role);
  return productPath(step.output, role);
}

/** Unix path of the file of each image, for telling a libtool wrapper from the program in `.libs`. */
const unixImages = new WeakMap<SetupImage, string>();

function imageOf(step: LinkStep, paths: PathContext, warnings: string[]): SetupImage {
  const unixImage = imageUnixPath(step);
  const spec = paths.rooted(unixImage, step.directory.path, step.index);
  const base = path.posix.basename(unixImage).replace(/\.exe$/i, "");
  // The image activator finds a shareable image through a logical name equal to its file name, which may
  // contain a hyphen. Only a foreign command, a DCL symbol, needs a name of letters, digits, `_` and `$`.
  let name = step.product === "shared" ? base.toUpperCase() : base.toUpperCase().replace(/[^A-Z0-9_$]/g, "_");
  if (step.product !== "shared" && !/^[A-Z_$]/.test(name)) name = `X_${name}`;
  const image: SetupImage = { name, image: spec, output: step.output, logLine: step.origin.startLine };
  if (name !== base.toUpperCase()) {
    image.renamedFrom = base;
    warnings.push(`${base} is not a valid DCL name; it is defined as ${name}`);
  }
  unixImages.set(image, path.posix.join(step.directory.path, unixImage));
  return image;
}

/**
 * Checks whether `image` is the program libtool links into `.libs` for the wrapper script `wrapper`. Without
 * shared libraries libtool links the program in place, so the pair only appears in builds that have both.
 */
function isLibtoolPair(image: SetupImage, wrapper: SetupImage): boolean {
  const real = unixImages.get(image);
  const other = unixImages.get(wrapper);
  if (real === undefined || other === undefined) return false;
  return real === path.posix.join(path.posix.dirname(other), ".libs", path.posix.basename(other));
}

/**
 * Merges images that repeat a name and file (libtool's `libx.la` and `.libs/libx.so` are one image), keeps
 * libtool's program in `.libs` over its wrapper, and warns when two other files would get the same name.
 */
function dropDuplicates(images: readonly SetupImage[], warnings: string[]): SetupImage[] {
  const seen = new Map<string, SetupImage>();
  const unique: SetupImage[] = [];
  for (const image of images) {
    const other = seen.get(image.name);
    if (other && isLibtoolPair(other, image)) continue;
    // The same image linked twice keeps the later link, which for libtool is its `libtool: link:` line.
    if (other && (other.image === image.image || isLibtoolPair(image, other))) {
      unique.splice(unique.indexOf(other), 1, image);
      seen.set(image.name, image);
      continue;
    }
    if (other)
      warnings.push(
        `${other.output} and ${image.output} both become ${image.name}; the later definition wins`,
      );
    seen.set(image.name, image);
    unique.push(image);
  }
  return unique;
}
