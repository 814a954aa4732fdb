import { type FeatureSetting, featureNumericValue } from "./features.js";

/**
 * Generates a C source whose `LIB$INITIALIZE` routine sets CRTL features through `decc$feature_set_value`
 * before `main` runs, so that an image behaves the same without the feature logical names. The routine
 * sets each feature's default value (mode 0, as curl's curl_crtl_init.c does), so a logical name that a
 * user defines still takes precedence. The technique follows the HP C Run-Time Library Reference Manual
 * (feature-setting routines) and the LIB$INITIALIZE section of the OpenVMS linker documentation.
 * The feature routines are declared between `#pragma names uppercase` and `#pragma names restore`, because
 * a /NAMES=AS_IS compilation keeps `decc$feature_get_index` lower case, and DECC$SHR exports the routine as
 * DECC$FEATURE_GET_INDEX. OpenSSL, which is built with /NAMES=(AS_IS,SHORTENED), wraps its declarations of
 * upper-case entry points in the same pragmas. curl's curl_crtl_init.c declares both routines without the
 * pragma, which only suits its /NAMES=UPPERCASE builds.
 * NOTE: the pragmas follow the Alpha and Itanium compilers; they have not been tried with VSI C on x86-64.
 */
export function generateInitSource(features: readonly FeatureSetting[], fileName: string): string {
  const calls = features.map(
    (feature) =>
      `    vmsport_set_feature("${feature.logical}", ${featureNumericValue(feature.value)}); /* ${feature.title} */`,
  );
  const parseStyle = features.some((feature) => feature.parseStyleExtended)
    ? [
        "",
        "/* DECC$ARGV_PARSE_STYLE only keeps the case of arguments when the process runs with",
        "   SET PROCESS/PARSE_STYLE=EXTENDED; a program cannot change that for the command that started it. */",
      ]
    : [];

  return [
    `/* ${fileName}: sets C run-time library features before main() runs.`,
    "   Written by vmsport setup --init-c. Compile it and name the object explicitly on the LINK command",
    "   or in the options file of every image that needs the features: a module that is only in an object",
    "   library is not pulled in, because nothing refers to it by name. */",
    "",
    "#ifdef __VMS",
    "",
    "/* DECC$SHR exports the feature routines under upper-case names. The names pragma keeps their external",
    "   names upper case when this module is compiled with /NAMES=AS_IS, as vmsport translate does. The",
    "   declarations after the #include repeat those of <unixlib.h> for older headers that lack them. */",
    "#pragma names save",
    "#pragma names uppercase",
    "#include <unixlib.h>",
    "int decc$feature_get_index(const char *name);",
    "int decc$feature_set_value(int index, int mode, int value);",
    "#pragma names restore",
    "",
    "/* Sets a feature's default value; a feature this CRTL does not know (index -1) is skipped. */",
    "static void vmsport_set_feature(const char *name, int value)",
    "{",
    "    int index = decc$feature_get_index(name);",
    "    if (index >= 0)",
    "        (void) decc$feature_set_value(index, 0, value);",
    "}",
    "",
    "static void vmsport_set_features(void)",
    "{",
    ...(calls.length > 0 ? calls : ["    /* The profile sets no features. */"]),
    "}",
    ...parseStyle,
    "",
    "/* The image activator calls every routine whose address is in the LIB$INITIALIZE program section before",
    "   main(). The section holds 32-bit addresses, so the table is declared with 32-bit pointers even in a",
    "   /POINTER_SIZE=64 compilation. */",
    "#pragma nostandard",
    "#pragma extern_model save",
    '#pragma extern_model strict_refdef "LIB$INITIALIZE" nowrt, long',
    "#if __INITIAL_POINTER_SIZE",
    "#pragma __pointer_size __save",
    "#pragma __pointer_size 32",
    "#endif",
    "void (* const vmsport_initialize_table[])(void) = { vmsport_set_features };",
    "#if __INITIAL_POINTER_SIZE",
    "#pragma __pointer_size __restore",
    "#endif",
    "#pragma extern_model restore",
    "",
    "/* A reference to LIB$INITIALIZE makes the linker include the system module that walks the section. */",
    "int LIB$INITIALIZE(void);",
    "#pragma extern_model save",
    "#pragma extern_model strict_refdef",
    "int vmsport_initialize_reference = (int) LIB$INITIALIZE;",
    "#pragma extern_model restore",
    "#pragma standard",
    "",
    "#endif /* __VMS */",
    "",
  ].join("\n");
}
