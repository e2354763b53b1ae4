#!/usr/bin/env node
// CommonJS (bin/package.json says so): Node's ESM loader alone would cost more than the whole --help may
// (docs/PERFORMANCE.md, "Opstarten"). dist/npm/ is the bundled build (tools/build.mjs), loaded by ./bundles.js.
'use strict';

// Node 22 on Windows aborts ("Assertion failed: process_title", libuv util.c) when it reads the title of a console
// that has none (start "" …, some terminals) — seen with the spinner in a console. Naming the console first avoids it.
if (process.platform === 'win32') process.title = 'numo-prep';

const { main, onSignal, SIGNAL_EXIT_CODES, adaptV8ToWork } = require('./bundles.js').loadBundle('cli.cjs');
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
