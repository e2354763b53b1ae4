#!/usr/bin/env -S node --max-semi-space-size=4
// CommonJS (bin/package.json says so): Node's ESM loader alone would cost more than the whole --help may
// (docs/PERFORMANCE.md, "Opstarten"). dist/npm/ is the bundled build (tools/build.mjs).
// The shebang's flag caps V8's young generation at 4 MiB semi-spaces (16 by default): ~20 MiB less peak memory
// at 100,000 rows at the same CPU time. Only a command-line flag can, the heap is sized before any script runs;
// npm's Windows shims (cmd, PowerShell) and `env -S` on Linux and macOS pass it on. `node bin/numo-prep.js` runs
// the same program without it.
'use strict';
const v8 = require('node:v8');

// A school PC, not a server: let the heap grow by 30 % after each full GC instead of V8's throughput-tuned
// factor. At 100,000 rows this keeps peak memory under 150 MiB at no cost in time (see docs/PERFORMANCE.md).
v8.setFlagsFromString('--heap-growing-percent=30');
// Node 22 on Windows aborts ("Assertion failed: process_title", libuv util.c) when it reads the title of a console
// that has none (start "" …, some terminals) — seen with the spinner in a console. Naming the console first avoids it.
if (process.platform === 'win32') process.title = 'numo-prep';

const { main, onSignal, SIGNAL_EXIT_CODES, adaptV8ToWork } = require('../dist/npm/cli.cjs');
// Ctrl+C, a closed terminal or a kill: remove any half-written output, say so, exit with the shell's code.
for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
  process.on(signal, () => {
    onSignal(process.stderr);
    process.exit(code);
  });
}
main(process.argv, { adaptToWork: adaptV8ToWork }).then((code) => {
  process.exitCode = code;
});
