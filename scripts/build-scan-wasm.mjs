#!/usr/bin/env node
/**
 * Compile the scanner's WebAssembly lexer core (assembly/lexer.ts) with the AssemblyScript compiler into
 * dist/scan/lexer.wasm, or into the file named by the first argument. Run by `npm run build`. The compiler is
 * a devDependency written in JavaScript, so the build needs no native tools.
 */

import { mkdirSync, renameSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = path.join(root, "assembly", "lexer.ts");
const output = process.argv[2]
  ? path.resolve(process.argv[2])
  : path.join(root, "dist", "scan", "lexer.wasm");
const temporary = `${output}.${process.pid}.tmp`;
mkdirSync(path.dirname(output), { recursive: true });

// The core allocates nothing, so the stub runtime is enough. --noAssert drops the `abort` import, so the
// module needs no imports at all. SIMD is on by default in Node.js 20, the oldest version package.json allows.
const { error, stderr } = await asc.main([
  source,
  "--outFile",
  temporary,
  "--optimizeLevel",
  "3",
  "--noAssert",
  "--runtime",
  "stub",
  "--enable",
  "simd",
]);
if (error) {
  console.error(stderr.toString());
  console.error(`error: compiling ${path.relative(process.cwd(), source)} failed: ${error.message}`);
  process.exit(1);
}
renameSync(temporary, output);
console.log(`compiled the WebAssembly lexer into ${path.relative(process.cwd(), output)}`);
