#!/usr/bin/env node
// CommonJS (bin/package.json says so): Node's ESM loader alone would cost more than the whole --help may
// (docs/PERFORMANCE.md, "Opstarten"). dist/npm/ is the bundled build (tools/build.mjs), loaded by ./bundles.js.
'use strict';

// Node 22 on Windows aborts ("Assertion failed: process_title", libuv util.c) when it reads the title of a console
// that has none (start "" …, some terminals) — seen with the spinner in a console. Naming the console first avoids it.
if (process.platform === 'win32') process.title = 'numo-prep';

// A checkout before its first build (tools/ is not in the package): build once, as `npm run build` does. Not an
// npm install script: npm 11 asks the admin to allow an installed package's install scripts (prepare included),
// although npm never runs prepare for a package from the registry or a tarball.
{
  const { existsSync } = require('node:fs');
  const { join } = require('node:path');
  const root = join(__dirname, '..');
  if (!existsSync(join(root, 'dist', 'npm', 'cli.cjs')) && existsSync(join(root, 'tools', 'build.mjs'))) {
    process.stderr.write('numo-prep wordt eenmalig gebouwd (npm run build)…\n');
    require('node:child_process').execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

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
