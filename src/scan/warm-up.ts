/**
 * Warming up the lexing worker and the calling thread before the first file of a scan. V8 then optimizes the
 * lexer, the top-level reader and the matchers with type feedback for their rare paths too.
 */

import type { CompiledRules } from "./compile.js";
import { lexFileBytes, readSourceTopLevel } from "./file-scan.js";
import { packLexedSource } from "./lexed-transfer.js";
import type { ScanSourceOptions } from "./types.js";
import type { WarmUpFile } from "./worker-protocol.js";

/**
 * Constructs that most files lack. For the top-level reader: a K&R definition, a macro for `static`,
 * `extern "C"` blocks, a namespace, aggregates with initializers, typedefs, a C++ template and a body that
 * the file ends in. For the matchers: includes, casts, sizeof tests, long constants, exit statuses and
 * string literals. Real files reach these paths only after V8 has optimized the loops for the common ones.
 * The first file that reached one then discarded the optimized code, and V8 compiled it again (the reader's
 * loop four times in a scan of Erlang/OTP 25 with Node.js 20). Running them once before the first file gives
 * the optimizing compiler type feedback for them.
 */
export const WARM_UP_SOURCE = `#define local static
#include <sys/socket.h>
#include "config.h"
#if defined(__LP64__) || ULONG_MAX > 0xffffffffUL || __SIZEOF_LONG__ == 8
#define WIDE 1
#endif
#ifdef __cplusplus
extern "C" {
#endif
typedef struct node { int value; struct node *next; } node_t;
local int counter = 0;
extern char **environ;
static const int table[] = { 1, 2, 3 };
struct point { int x, y; } origin = { 0, 0 };
enum color { RED, GREEN };
int old_style(a, b) int a; char *b; { return a + *b; }
int prototype(int, char *);
local void helper(void) { counter++; }
int MAIN(int argc, char **argv) { return argc; }
#ifdef __cplusplus
}
namespace detail { int inner(int x) { return x; } }
template <typename T> T twice(T x) { return x + x; }
class widget { public: friend int peek(widget &); int size() const { return 0; } };
int ::outer = 1;
#endif
static long widen(void *ptr, node_t *p) {
  long big = 0x100000000UL + (1UL << 40) + (long)ptr + (unsigned long)&counter + (int)(char *)p;
  if (sizeof(long) == 8 || sizeof(void *) == 8) big += p->next != 0;
  return big + sizeof(long) * 2;
}
int main(int argc, char *argv[]) {
  FILE *stream = popen(argv[0], "r");
  if (fork() == 0) exit(2);
  // vmsport-ignore-next-line[VMS1001]: warm-up
  system("ls /tmp/x");
  remove("/tmp/y");
  if (argc > 1) return 3;
  helper();
  return old_style(argc, argv[0]) + (int)widen(stream, 0);
}
void unclosed(void) {
`;

/**
 * Lex, read and pack WARM_UP_SOURCE as C and as C++, and return the packed files for the calling thread,
 * which runs the rules over them and drops the findings.
 */
export function lexWarmUpFiles(compiled: CompiledRules, options: ScanSourceOptions): WarmUpFile[] {
  return ["warm-up.c", "warm-up.cpp"].map((path) => {
    const content = Buffer.allocUnsafeSlow(WARM_UP_SOURCE.length);
    content.write(WARM_UP_SOURCE, "latin1");
    const source = readSourceTopLevel(lexFileBytes(content, path, compiled, options), path, compiled);
    return { path, lexed: packLexedSource(source) };
  });
}
