// The one build of numo-prep: esbuild bundles src/ (TypeScript, ESM) into CommonJS files. Plain JavaScript, so it
// runs on a fresh clone before anything is compiled (npm install → prepare).
//
//   node tools/build.mjs    dist/npm/ — what the npm package runs (bin/numo-prep.js loads dist/npm/cli.cjs)
//
// exe/build.ts uses bundleSingleFile() and writeNotices() from here for release/numo-prep.cjs and the .exe.
//
// Why CommonJS and why several files (docs/PERFORMANCE.md, "Opstarten"): Node's ESM loader alone costs ~25 % of a
// bare `node -e 0`, a CommonJS file almost nothing, and `numo-prep --help` may cost at most 1.3× `node -e 0`. So:
//   cli.cjs     src/cli.ts and what it imports statically (commander, errors, settings, atomic files, clean-up):
//               all that --help, --version and a usage error load.
//   app.cjs     every module cli.ts imports with `await import()` (the commands) and everything they import,
//               required on the first command that runs.
//   vendor/*    the big or rarely needed packages (exceljs, @inquirer/prompts, ora, chalk, csv-parse), one file each,
//               required where src/ imports them with `await import()`.
//   *.v8cache   V8's code cache of cli.cjs and app.cjs, made last by converting the quick-start example once
//               (bin/bundles.js loads the bundles with it; ARCHITECTURE.md, "Build and start-up").
// A module is in exactly one file. app.cjs takes each module cli.cjs already holds (the clean-up state, the list
// of committed files, the error classes checked with instanceof) from cli.cjs's module table instead of carrying
// a second copy; the build fails if a source file or (but for ALLOWED_TWICE) a package ends up in two files.
//
// Every runtime dependency is inside these files: the published package has no dependencies, so `npm install -g`
// downloads nothing more and works offline. Their licences ship in dist/npm/THIRD-PARTY-NOTICES.txt.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NPM_OUT = join(ROOT, 'dist', 'npm');
const SRC = join(ROOT, 'src') + sep;
const require = createRequire(import.meta.url);
const BUNDLES = join(ROOT, 'bin', 'bundles.js');
/** The bundles that get a code cache: the loader's own list. */
const { CACHED } = require(BUNDLES);

/**
 * Packages with a file of their own in vendor/, by import specifier. `names`: only these exports go in (all that
 * src/ imports, which the build checks), so @inquirer/prompts leaves out the editor prompt and its encodings.
 */
const VENDORS = {
  chalk: { file: 'chalk.cjs' },
  ora: { file: 'ora.cjs' },
  exceljs: { file: 'exceljs.cjs' },
  '@inquirer/prompts': { file: 'inquirer-prompts.cjs', names: ['input', 'search', 'select'] },
  // Only for CSV text with a quote: a fifth of app.cjs that every other run would parse for nothing.
  'csv-parse': { file: 'csv-parse.cjs' },
};
/**
 * Packages that may be in more than one vendor file. signal-exit (in ora and @inquirer/prompts) keeps its state on
 * a global symbol so that any number of copies share one set of handlers.
 */
const ALLOWED_TWICE = new Set(['signal-exit']);

/** The options every bundle shares; `target` is the package's engines floor (the .exe's Node is newer). */
const COMMON = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20.17',
  charset: 'ascii',
  legalComments: 'none',
  metafile: true,
  write: false,
  logLevel: 'warning',
};

function esbuild() {
  return createRequire(join(ROOT, 'package.json'))('esbuild');
}

/** A warning means code a bundle cannot follow (import.meta, a computed require): it would fail at run time. */
function noWarnings(result, what) {
  if (result.warnings.length > 0) throw new Error(`esbuild (${what}): ${result.warnings.length} waarschuwing(en) hierboven; de bundel zou niet werken`);
  return result;
}

const rel = (abs) => relative(ROOT, abs).split(sep).join('/');
const json = (value) => JSON.stringify(value);

/**
 * Imports of the vendor packages become a module that requires their file. Written as ESM re-exports in a
 * namespace of its own, so esbuild's interop honours __esModule: `(await import('ora')).default` is ora's
 * function, `(await import('exceljs')).default` exceljs's module.exports, as under Node.
 */
function vendorPlugin(fromDir, own) {
  const names = Object.keys(VENDORS).filter((n) => n !== own);
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
  return {
    name: 'vendor',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'vendor' }));
      b.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => {
        const file = `./${relative(fromDir, join(NPM_OUT, 'vendor', VENDORS[args.path].file))
          .split(sep)
          .join('/')}`;
        return { contents: `export * from ${json(file)};\nexport { default } from ${json(file)};\n`, loader: 'js' };
      });
      b.onResolve({ filter: /\.cjs$/, namespace: 'vendor' }, (args) => ({ path: args.path, external: true }));
    },
  };
}

/**
 * Node built-ins the start-up path imports but only a command uses: commander requires child_process at the top
 * (for executable subcommands, which numo-prep has none of). Loading it costs a few ms of a ~120 ms `node -e 0`. In
 * cli.cjs it becomes an object of getters that requires the real module on the first property read, so --help
 * never loads it. (The writing code, with crypto and the promise-based fs, is not in cli.cjs at all: cli.ts reads
 * the committed files from io/cleanup.ts.)
 */
const LAZY_BUILTINS = ['child_process'];

function lazyBuiltinsPlugin() {
  const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|').replace(/\//g, '\\/')})$`);
  return {
    name: 'lazy-builtins',
    setup(b) {
      b.onResolve({ filter }, (args) => (args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' }));
      b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
        // The names of this Node's module; one missing on an older Node reads as undefined, as it would there.
        const names = Object.keys(require(`node:${args.path}`)).filter((n) => n !== 'default');
        const getters = names.map((n) => `  get ${json(n)}() { return load()[${json(n)}]; },`).join('\n');
        return { contents: `let m;\nconst load = () => (m ??= require(${json(`node:${args.path}`)}));\nmodule.exports = {\n${getters}\n};\n`, loader: 'js' };
      });
    },
  };
}

/**
 * cli.cjs: src/cli.ts and its static imports. Its `await import()`s of source files are collected (they are
 * app.cjs's entries) and point into app.cjs's module table.
 */
async function buildCli() {
  const app = new Set();
  const appPlugin = {
    name: 'app',
    setup(b) {
      b.onResolve({ filter: /^\./, namespace: 'file' }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === 'inner' || !args.importer.startsWith(SRC)) return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
        if (r.errors.length || !r.path.startsWith(SRC)) return undefined;
        app.add(rel(r.path));
        return { path: rel(r.path), namespace: 'app' };
      });
      b.onLoad({ filter: /.*/, namespace: 'app' }, (args) => ({ contents: `module.exports = require('./app.cjs')[${json(args.path)}];\n`, loader: 'js' }));
      b.onResolve({ filter: /^\.\/app\.cjs$/, namespace: 'app' }, (args) => ({ path: args.path, external: true }));
    },
  };
  const opts = { ...COMMON, outfile: join(NPM_OUT, 'cli.cjs'), plugins: [appPlugin, vendorPlugin(NPM_OUT), lazyBuiltinsPlugin()] };
  // First pass: which source modules the start-up holds. Second: the same bundle, exporting each of them.
  const first = noWarnings(await esbuild().build({ ...opts, entryPoints: ['src/cli.ts'] }), 'cli.cjs');
  const held = Object.keys(first.metafile.inputs).filter((f) => f.startsWith('src/'));
  const entry = [
    `export * from './src/cli.ts';`,
    ...held.map((f, i) => `import * as m${i} from ${json(`./${f}`)};`),
    `export const __modules = { ${held.map((f, i) => `${json(f)}: m${i}`).join(', ')} };`,
  ].join('\n');
  app.clear();
  const result = noWarnings(await esbuild().build({ ...opts, stdin: { contents: entry, resolveDir: ROOT, sourcefile: 'cli-entry.js', loader: 'js' } }), 'cli.cjs');
  return { result, held: await exportNames(held), app: [...app].sort() };
}

/**
 * The value exports of each source file cli.cjs holds, by file. app.cjs binds each to a plain variable once: as an
 * import of a CommonJS object, every use would go through two getters (esbuild's __toESM copy, then the namespace
 * object), ~3 % of a 100,000-row convert's CPU in calls such as normaliseText per cell.
 */
async function exportNames(files) {
  const r = noWarnings(await esbuild().build({ absWorkingDir: ROOT, entryPoints: files, bundle: false, format: 'esm', write: false, metafile: true, outdir: 'names', logLevel: 'warning' }), 'exports');
  const names = new Map();
  for (const o of Object.values(r.metafile.outputs)) if (o.entryPoint) names.set(o.entryPoint, o.exports);
  if (names.size !== files.length) throw new Error('exports: niet van elk bestand in cli.cjs gevonden');
  // Bound once, an export that is reassigned later would keep its first value in app.cjs.
  const mutable = files.filter((f) => /^export\s+(let|var)\s/m.test(readFileSync(join(ROOT, f), 'utf8')));
  if (mutable.length) throw new Error(`${mutable.join(', ')}: export let/var in een module van cli.cjs; app.cjs zou de eerste waarde houden (exporteer een functie of object)`);
  return names;
}

/** app.cjs: the commands and all they need, minus what cli.cjs holds (taken from its module table). */
async function buildApp(held, entries) {
  const startupPlugin = {
    name: 'startup',
    setup(b) {
      b.onResolve({ filter: /^\./, namespace: 'file' }, async (args) => {
        if (args.pluginData === 'inner' || !args.importer.startsWith(SRC)) return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
        if (r.errors.length || !held.has(rel(r.path))) return undefined;
        return { path: rel(r.path), namespace: 'startup' };
      });
      b.onLoad({ filter: /.*/, namespace: 'startup' }, (args) => ({
        contents: [
          `const m = require('./cli.cjs').__modules[${json(args.path)}];`,
          ...held.get(args.path).map((n) => (n === 'default' ? 'export default m.default;' : `export const ${n} = m.${n};`)),
        ].join('\n'),
        loader: 'js',
      }));
      b.onResolve({ filter: /^\.\/cli\.cjs$/, namespace: 'startup' }, (args) => ({ path: args.path, external: true }));
    },
  };
  const entry = entries.map((f) => `export * as ${json(f)} from ${json(`./${f}`)};`).join('\n');
  return noWarnings(
    await esbuild().build({
      ...COMMON,
      stdin: { contents: entry, resolveDir: ROOT, sourcefile: 'app-entry.js', loader: 'js' },
      outfile: join(NPM_OUT, 'app.cjs'),
      plugins: [startupPlugin, vendorPlugin(NPM_OUT)],
    }),
    'app.cjs',
  );
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/**
 * The names src/ takes from a package: `const { a, b } = await import('pkg')` and `import { a } from 'pkg'`. Any
 * other mention of the package outside a type import (`import * as p`, `(await import('pkg')).a`) fails the build:
 * the names it uses could not be checked.
 */
function namesUsed(name) {
  const quoted = `'${name}'`;
  const used = new Set();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    let read = 0;
    for (const m of text.matchAll(/(?:const\s*\{([^}]*)\}\s*=\s*await\s+import\(\s*('[^']+')\s*\))|(?:^\s*import\s+\{([^}]*)\}\s*from\s*('[^']+'))/gm)) {
      if ((m[2] ?? m[4]) !== quoted) continue;
      read++;
      for (const part of (m[1] ?? m[3]).split(',')) if (part.trim()) used.add(part.trim().split(/\s*:\s*|\s+as\s+/)[0]);
    }
    const typeOnly = [...text.matchAll(new RegExp(`^\\s*import\\s+type\\s[^;]*from\\s*${quoted}`, 'gm'))].length;
    if (text.split(quoted).length - 1 > read + typeOnly) throw new Error(`${rel(file)} gebruikt ${name} op een manier die de build niet kan nagaan; schrijf const { … } = await import(${quoted})`);
  }
  return used;
}

/** One vendor package, minified (third-party code: less to parse; its licence is in the notices). */
async function buildVendor(name) {
  const outDir = join(NPM_OUT, 'vendor');
  const { file, names } = VENDORS[name];
  let input = { entryPoints: [name] };
  if (names) {
    const missing = [...namesUsed(name)].filter((n) => !names.includes(n));
    if (missing.length) throw new Error(`src/ gebruikt ${missing.join(', ')} uit ${name}: zet ze in VENDORS in tools/build.mjs`);
    input = { stdin: { contents: `export { ${names.join(', ')} } from ${json(name)};`, resolveDir: ROOT, sourcefile: `${file}-entry.js`, loader: 'js' } };
  }
  return noWarnings(await esbuild().build({ ...COMMON, ...input, outfile: join(outDir, file), minify: true, plugins: [vendorPlugin(outDir, name)] }), file);
}

/** The files that put code into the bundle (not those tree-shaking left out entirely). */
function bundledInputs(meta) {
  return Object.values(meta.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([f]) => f),
  );
}

/** The package directory (node_modules/…/name) of a bundled input, or undefined for our own sources. */
function packageDir(input) {
  return input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//)?.[1];
}

/** No source file in two bundles, and no package but ALLOWED_TWICE: module state exists once. */
function checkOnce(results) {
  const seen = new Map();
  const twice = [];
  for (const [file, result] of Object.entries(results)) {
    for (const input of bundledInputs(result.metafile)) {
      const key = packageDir(input) ?? (input.startsWith('src/') ? input : undefined);
      if (!key) continue;
      const name = key.replace(/^.*node_modules\//, '');
      if (seen.has(key) && seen.get(key) !== file && !ALLOWED_TWICE.has(name)) twice.push(`${key} (${seen.get(key)}, ${file})`);
      if (!seen.has(key)) seen.set(key, file);
    }
  }
  if (twice.length) throw new Error(`in meer dan één bundel: ${[...new Set(twice)].join(', ')}`);
}

/** bin/bundles.js runs CACHED through vm.Script, which has no module loader: no native import() may remain there. */
function checkNoNativeImport(results) {
  for (const name of CACHED) {
    for (const output of Object.values(results[name].metafile.outputs)) {
      const native = output.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path);
      if (native.length) throw new Error(`${name}: import() van ${native.join(', ')}; gebruik process.getBuiltinModule of een statische import`);
    }
  }
}

/**
 * The cached bundles are ASCII: Node then reads each as a one-byte string. One character beyond Latin-1 anywhere
 * (esbuild's charset option escapes strings, not comments or regular expressions) makes the whole text two bytes per
 * character: ~13 % more page faults and ~4–7 % more CPU for a school's conversion (docs/PERFORMANCE.md). ASCII, not
 * Latin-1, because it is the rule a reader of the source can check by eye.
 */
function checkAscii(results) {
  for (const name of CACHED) {
    for (const f of results[name].outputFiles) {
      const at = f.contents.findIndex((b) => b > 0x7f);
      if (at < 0) continue;
      // + 1 for the first line, + 1 for the build line writeOutputs puts above it.
      const line = f.contents.subarray(0, at).filter((b) => b === 0x0a).length + 2;
      throw new Error(`${name}: een teken buiten ASCII (regel ${line} van de bundel); schrijf het in de bron als \\u-escape of in ASCII`);
    }
  }
}

/**
 * The licence text of every package in the bundles, from the package's own LICENSE file. `intro` heads the file;
 * `extra` sections (Node.js itself, for the .exe) come first.
 */
export function writeNotices(metafiles, file, intro, extra = []) {
  const packages = new Set();
  for (const meta of metafiles) for (const input of bundledInputs(meta)) if (packageDir(input)) packages.add(packageDir(input));
  const sections = [...packages].sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
    const licence = readdirSync(join(ROOT, dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = licence ? readFileSync(join(ROOT, dir, licence), 'utf8').trim() : `License: ${pkg.license ?? 'see package'}`;
    return `${pkg.name}@${pkg.version}\n\n${text}`;
  });
  const rule = `\n\n${'-'.repeat(78)}\n\n`;
  writeFileSync(file, `${intro}${rule}${[...extra, ...sections].join(rule)}\n`);
}

/**
 * Writes every output next to its place and renames it there: a test or a run that starts the CLI meanwhile
 * never reads a half-written file. cli.cjs goes last. Each of CACHED starts with a line naming its build (a hash of
 * its text), which bin/bundles.js matches against the code cache; the caches of the previous build go first.
 */
function writeOutputs(results) {
  for (const name of CACHED) rmSync(join(NPM_OUT, `${name}.v8cache`), { force: true });
  const files = Object.values(results).flatMap((r) => r.outputFiles);
  files.sort((a, b) => Number(a.path.endsWith(`${sep}cli.cjs`)) - Number(b.path.endsWith(`${sep}cli.cjs`)));
  for (const f of files) {
    const build = CACHED.some((name) => f.path.endsWith(`${sep}${name}`)) ? `// build ${createHash('sha256').update(f.contents).digest('hex').slice(0, 16)}\n` : '';
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(`${f.path}.${process.pid}.tmp`, build ? Buffer.concat([Buffer.from(build), f.contents]) : f.contents);
    renameSync(`${f.path}.${process.pid}.tmp`, f.path);
  }
}

/**
 * The code caches (bin/bundles.js): a child process — V8 at its default flags, as a run is when it loads the
 * bundles — converts the quick-start example (synthetic fixtures) into a temporary folder and then stores what V8
 * compiled. Without NODE_OPTIONS: a flag there (say --max-old-space-size on the machine that packs) would be part of
 * every cache, and V8 would refuse them all on a user's machine. A second child checks that a plain run takes both;
 * a conversion that fails, or a cache not taken, fails the build.
 */
function writeCodeCaches() {
  const out = mkdtempSync(join(tmpdir(), 'numo-prep-build-'));
  const fixture = (name) => join(ROOT, 'fixtures', name);
  const argv = ['node', 'numo-prep', 'convert', fixture('magister-export.xlsx'), '--idgebr', fixture('idgebr.csv'), '--out', join(out, 'numo.csv')];
  const train = `
    const bundles = require(${json(BUNDLES)});
    const sink = { write: () => true, on() {} };
    bundles.loadBundle('cli.cjs').main(${json(argv)}, { stdout: sink, stderr: sink, cwd: ${json(out)} }).then((code) => {
      if (code !== 0) throw new Error('de oefenconversie gaf exitcode ' + code);
      bundles.writeCodeCaches();
    });`;
  const check = `
    const bundles = require(${json(BUNDLES)});
    for (const name of bundles.CACHED) bundles.loadBundle(name);
    process.stdout.write(JSON.stringify(bundles.loadedBundles()));`;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  try {
    execFileSync(process.execPath, ['-e', train], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const taken = JSON.parse(execFileSync(process.execPath, ['-e', check], { env, encoding: 'utf8' }));
    const refused = taken.filter((b) => b.cache !== 'used').map((b) => b.name);
    if (refused.length) throw new Error(`codecache niet gebruikt voor ${refused.join(', ')}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** dist/npm/: cli.cjs, app.cjs, vendor/*.cjs and the licence notices. */
async function buildNpm({ clean = false } = {}) {
  if (clean) rmSync(NPM_OUT, { recursive: true, force: true });
  const cli = await buildCli();
  const results = { 'cli.cjs': cli.result, 'app.cjs': await buildApp(cli.held, cli.app) };
  for (const name of Object.keys(VENDORS)) results[`vendor/${VENDORS[name].file}`] = await buildVendor(name);
  checkOnce(results);
  checkNoNativeImport(results);
  checkAscii(results);
  mkdirSync(NPM_OUT, { recursive: true });
  writeNotices(
    Object.values(results).map((r) => r.metafile),
    join(NPM_OUT, 'THIRD-PARTY-NOTICES.txt'),
    'numo-prep (dist/npm/) bundles the following software.',
  );
  writeOutputs(results);
  writeCodeCaches();
  return results;
}

/** One CommonJS file with everything (release/numo-prep.cjs, the .exe's program). */
export async function bundleSingleFile({ entry, outfile, banner }) {
  const result = noWarnings(await esbuild().build({ ...COMMON, entryPoints: [entry], outfile, banner: banner ? { js: banner } : undefined, write: true }), outfile);
  return result.metafile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const start = performance.now();
  buildNpm({ clean: process.argv.includes('--clean') }).then(
    () => process.stderr.write(`build: ${rel(NPM_OUT)}/ (${Math.round(performance.now() - start)} ms)\n`),
    (err) => {
      process.stderr.write(`build mislukt: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
