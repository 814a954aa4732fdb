/**
 * Assembly of a step object from its common and kind-specific fields. Each kind is built as one object
 * literal with every field in JSON output order, so all steps of a kind share one V8 hidden class with
 * in-object fields. Merging the parts with `Object.assign` instead produced dictionary-mode objects, which
 * made every field access slower and `JSON.stringify` of the step about a quarter slower.
 *
 * An optional field that is not set contains `undefined`. `JSON.stringify` leaves such fields out, so the
 * output equals that of an object without them, but code that tests `"field" in step` sees them.
 */
import type { BuildStep, StepBase } from "../model/steps.js";

/** The kind-specific fields of a step, before the common ones are added. */
export type StepFields = BuildStep extends infer S
  ? S extends BuildStep
    ? Omit<S, keyof StepBase>
    : never
  : never;

/**
 * Joins the common fields and the kind-specific fields into a step, `kind` first, then the common fields,
 * then the kind's own fields in the order the classifiers set them.
 * NOTE: a field added to a step kind in `model/steps.ts` must be added here too, or it is dropped.
 */
export function createStep(base: StepBase, fields: StepFields): BuildStep {
  const { index, origin, directory, command, argv, wrappers, environment, diagnostics, status, encoding } =
    base;
  switch (fields.kind) {
    case "compile":
      return {
        kind: "compile",
        index,
        origin,
        directory,
        command,
        argv,
        diagnostics,
        status,
        wrappers,
        environment,
        encoding,
        tool: fields.tool,
        compiler: fields.compiler,
        source: fields.source,
        output: fields.output,
        outputImplied: fields.outputImplied,
        language: fields.language,
        includes: fields.includes,
        defines: fields.defines,
        undefines: fields.undefines,
        forcedIncludes: fields.forcedIncludes,
        optimization: fields.optimization,
        debug: fields.debug,
        standard: fields.standard,
        warnings: fields.warnings,
        dependencyFlags: fields.dependencyFlags,
        pic: fields.pic,
        otherFlags: fields.otherFlags,
        responseFiles: fields.responseFiles,
        objects: fields.objects,
      };
    case "link":
      return {
        kind: "link",
        index,
        origin,
        directory,
        command,
        argv,
        diagnostics,
        status,
        wrappers,
        environment,
        encoding,
        tool: fields.tool,
        product: fields.product,
        output: fields.output,
        inputs: fields.inputs,
        libraryDirectories: fields.libraryDirectories,
        libraries: fields.libraries,
        linkerOptions: fields.linkerOptions,
        soname: fields.soname,
        versionScript: fields.versionScript,
        threads: fields.threads,
        otherFlags: fields.otherFlags,
        language: fields.language,
        libtoolCommandsShown: fields.libtoolCommandsShown,
      };
    case "archive":
      return {
        kind: "archive",
        index,
        origin,
        directory,
        command,
        argv,
        diagnostics,
        status,
        wrappers,
        environment,
        encoding,
        tool: fields.tool,
        operation: fields.operation,
        operationLetters: fields.operationLetters,
        library: fields.library,
        members: fields.members,
      };
    case "shell":
      return {
        kind: "shell",
        index,
        origin,
        directory,
        command,
        argv,
        diagnostics,
        status,
        wrappers,
        environment,
        encoding,
        operation: fields.operation,
        tool: fields.tool,
        options: fields.options,
        sources: fields.sources,
        destination: fields.destination,
        script: fields.script,
      };
    case "unknown":
      return {
        kind: "unknown",
        index,
        origin,
        directory,
        command,
        argv,
        diagnostics,
        status,
        wrappers,
        environment,
        encoding,
        reason: fields.reason,
        silentRule: fields.silentRule,
      };
  }
}
