#!/usr/bin/env node
// CommonJS (bin/package.json says so): Node's ESM loader alone would cost more than the whole --help may
// (docs/PERFORMANCE.md, "Opstarten"). dist/npm/ is the bundled build (tools/build.mjs), loaded by ./bundles.js.
'use strict';

// Node 22 on Windows aborts ("Assertion failed: process_title", libuv util.c) when it reads the title of a console
// that has none (start "" …, some terminals) — seen with the spinner in a console. Naming the console first avoids it.
if (process.platform === 'win32') process.title = 'numo-prep';

// A deprecation inside a library (exceljs calls process.binding) is for its developers: with NODE_PENDING_DEPRECATION
// the admin got an English warning, with --throw-deprecation in NODE_OPTIONS a stack trace and exit 1. (Under
// --no-deprecation Node has made the property read-only, and true.)
if (!process.noDeprecation) process.noDeprecation = true;

// In a checkout (tools/ is not in the package): build when there is no build yet or the source is newer, as
// `npm run build` does — after a clone, or a git pull. Not an npm install script: npm 11 asks the admin to allow an
// installed package's install scripts (prepare included), although npm never runs prepare for a tarball. The source
// folders' own times, not every file's (that costs ~1.5 ms a start): git replaces a file it updates, which changes
// its folder's time; an edit in place is rebuilt by npm test or npm run build.
{
  const { existsSync, statSync } = require('node:fs');
  const { join } = require('node:path');
  const root = join(__dirname, '..');
  const build = join(root, 'tools', 'build.mjs');
  if (existsSync(build)) {
    const mtime = (p) => {
      try {
        return statSync(p).mtimeMs;
      } catch {
        return -1;
      }
    };
    const built = mtime(join(root, 'dist', 'npm', 'cli.cjs'));
    const src = join(root, 'src');
    const sources = [build, join(root, 'package-lock.json'), src, ...['cli.ts', 'commands', 'core', 'io', 'run', 'ui'].map((f) => join(src, f))];
    if (built < 0 || sources.some((f) => mtime(f) > built)) {
      process.stderr.write(`numo-prep wordt ${built < 0 ? 'gebouwd' : 'opnieuw gebouwd (de bron is nieuwer)'}…\n`);
      try {
        require('node:child_process').execFileSync(process.execPath, [build], { stdio: ['ignore', 'ignore', 'inherit'] });
      } catch {
        // With a build there (a read-only checkout, dev packages pruned), that one runs; without one, nothing can.
        if (built < 0) {
          process.stderr.write(`numo-prep: bouwen mislukt. Draai eerst npm install in ${root}, en dan opnieuw.\n`);
          process.exit(2);
        }
        process.stderr.write('numo-prep: opnieuw bouwen mislukt; de vorige build wordt gebruikt (npm run build).\n');
      }
    }
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
