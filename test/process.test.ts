import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_WORK_BYTES, v8FlagsForWork } from '../src/cli.js';
import { stale } from './build.js';
import { BIN, corpus, expectNoStack, fixture, listDir, MAPPING, ROOT, spawnCli, tempDir } from './helpers.js';

// The few tests that need numo-prep as its own process: signals, a closed pipe, and the installed command.
// Everything else calls main() in-process (see helpers.ts).

const HOOK = join(ROOT, 'test', 'hooks', 'hold-output.mjs');

const NPM = join(ROOT, 'dist', 'npm');
const BUNDLES = join(ROOT, 'bin', 'bundles.js');

describe('the installed command', () => {
  it('sets only V8 flags this Node knows (setFlagsFromString would ignore a misspelt one)', () => {
    const flags = [...v8FlagsForWork(0), ...v8FlagsForWork(SMALL_WORK_BYTES + 1)];
    expect(execFileSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' })).toBe('ok');
    expect(() => execFileSync(process.execPath, ['--max-optx=1', '-e', '0'], { stdio: 'pipe' })).toThrow();
  });

  it('a convert loads no Node built-in after adaptV8ToWork changed the flags (its code cache would not be taken)', () => {
    const argv = ['node', 'numo-prep', 'convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--dry-run'];
    const script = `
      const v8 = require('node:v8');
      const setFlags = v8.setFlagsFromString;
      let changed;
      v8.setFlagsFromString = (flag) => ((changed ??= process.moduleLoadList.length), setFlags(flag));
      const cli = require(${JSON.stringify(BUNDLES)}).loadBundle('cli.cjs');
      const sink = { write: () => true, on() {} };
      cli.main(${JSON.stringify(argv)}, { stdout: sink, stderr: sink, adaptToWork: cli.adaptV8ToWork }).then((code) => {
        console.log(JSON.stringify({ code, changed: changed !== undefined, after: process.moduleLoadList.slice(changed).filter((m) => m.startsWith('NativeModule ')) }));
      });`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))).toEqual({ code: 0, changed: true, after: [] });
  });

  it('is bin/numo-prep.js, runs the build and passes the exit code on', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(join(ROOT, pkg.bin['numo-prep'])).toBe(BIN);
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // CommonJS in a "type": "module" package: bin/package.json says so (docs/PERFORMANCE.md, Opstarten).
    expect(JSON.parse(readFileSync(join(ROOT, 'bin', 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    const version = await spawnCli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const usage = await spawnCli(['convert']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^numo-prep: Geef het bestand op/);
    const data = await spawnCli(['convert', fixture('magister-export-fouten.xlsx'), '--mapping', MAPPING, '--dry-run']);
    expect(data.code).toBe(1);
    // A UserError thrown in app.cjs is one class with the one cli.cjs checks with instanceof: its own message, exit 2.
    const missing = await spawnCli(['convert', join(ROOT, 'bestaat-niet.xlsx'), '--mapping', MAPPING, '--dry-run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^numo-prep: Bestand niet gevonden/);
  });

  it("a library's deprecation (exceljs calls process.binding) is no English warning, and no stack trace under --throw-deprecation", async () => {
    const dir = tempDir();
    const r = await spawnCli(['mapping', fixture('magister-export.xlsx'), '--out', join(dir, 'm.xlsx'), '--no-config'], {
      env: { NODE_OPTIONS: '--pending-deprecation --throw-deprecation' },
    });
    expect(r.stderr).not.toContain('DeprecationWarning');
    expect(r.code, r.stderr).toBe(0);
    // --no-deprecation makes the property read-only: no TypeError at the start of every command.
    expect(await spawnCli(['--version'], { env: { NODE_OPTIONS: '--no-deprecation' } })).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('a checkout (git clone, npm install): a run builds when needed', () => {
  // bin/numo-prep.js with a stand-in for tools/build.mjs (the real build is tested below): copying the real
  // dist/npm/ is what a build makes; exit 1 is a build that fails (no node_modules yet).
  it('builds when there is no build or a source folder is newer, says so in one line; a failed build is exit 2 and what to do', () => {
    const repo = join(tempDir('numo-prep-checkout-'), 'repo');
    for (const part of ['bin', 'src', 'package.json', 'package-lock.json']) cpSync(join(ROOT, part), join(repo, part), { recursive: true });
    mkdirSync(join(repo, 'tools'));
    const stub = (body: string) => writeFileSync(join(repo, 'tools', 'build.mjs'), body);
    const run = () => {
      const r = spawnSync(process.execPath, [join(repo, 'bin', 'numo-prep.js'), '--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    stub('process.exit(1);\n');
    const failed = run();
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe(`numo-prep wordt gebouwd…\nnumo-prep: bouwen mislukt. Draai eerst npm install in ${repo}, en dan opnieuw.\n`);
    stub(`import { cpSync } from 'node:fs';\ncpSync(${JSON.stringify(join(ROOT, 'dist', 'npm'))}, ${JSON.stringify(join(repo, 'dist', 'npm'))}, { recursive: true });\n`);
    const version = `${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`;
    expect(run()).toEqual({ code: 0, stdout: version, stderr: 'numo-prep wordt gebouwd…\n' });
    // Built, with sources older than the build: the next run starts at once.
    const past = new Date(Date.now() - 60_000);
    for (const p of [join(repo, 'tools', 'build.mjs'), join(repo, 'package-lock.json'), join(repo, 'src'), ...['cli.ts', 'commands', 'core', 'io', 'run', 'ui'].map((f) => join(repo, 'src', f))])
      utimesSync(p, past, past);
    expect(run()).toEqual({ code: 0, stdout: version, stderr: '' });
    // A git pull replaces the files it updates: their folder gets a new time.
    utimesSync(join(repo, 'src', 'core'), new Date(), new Date());
    expect(run()).toEqual({ code: 0, stdout: version, stderr: 'numo-prep wordt opnieuw gebouwd (de bron is nieuwer)…\n' });
  });
});

describe('the build (tools/build.mjs)', () => {
  it('the build this run made (test/global-setup.ts) counts as fresh: else every npm test builds again', () => {
    expect(stale()).toBe(false);
  });

  it('--help, --version and a usage error load only cli.cjs: no command bundle, no package file, no child_process or crypto', () => {
    const script = `
      const before = new Set(process.moduleLoadList);
      const bundles = require(${JSON.stringify(BUNDLES)});
      const { main } = bundles.loadBundle('cli.cjs');
      const io = { stdout: { write() {}, on() {} }, stderr: { write() {}, on() {} } };
      (async () => {
        for (const args of [['--help'], ['convert', '--help'], ['--version'], ['convert']]) await main(['node', 'numo-prep', ...args], io);
        const builtins = process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule '));
        const held = Object.keys(bundles.loadBundle('cli.cjs').__modules);
        console.log(JSON.stringify({ bundles: bundles.loadedBundles(), files: Object.keys(require.cache), builtins, held }));
      })();`;
    const { bundles, files, builtins, held } = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
      bundles: unknown[];
      files: string[];
      builtins: string[];
      held: string[];
    };
    expect(bundles).toEqual([{ name: 'cli.cjs', cache: 'used' }]);
    expect(files).toEqual([BUNDLES]);
    expect(builtins.filter((m) => /child_process|crypto|fs\/promises/.test(m))).toEqual([]);
    // What cli.ts imports statically is parsed (or read from the code cache) at every start. The writing code and the
    // row checks in it cost --help ~6 % of its CPU (docs/PERFORMANCE.md): a module added here should be one the
    // start itself needs.
    expect(held.sort()).toEqual([
      'src/cli.ts',
      'src/core/errors.ts',
      'src/core/format.ts',
      'src/core/limits.ts',
      'src/core/schema.ts',
      'src/core/settings.ts',
      'src/core/sources.ts',
      'src/core/text.ts',
      'src/io/cleanup.ts',
      'src/ui/command-line.ts',
      'src/ui/terminal.ts',
    ]);
  });

  describe('code caches (bin/bundles.js)', () => {
    /** A convert the way bin/numo-prep.js runs it, through the bundles.js in `bin`; `flags` are set first. */
    const convertThrough = (bin: string, out: string, flags: string[] = []) => {
      const argv = ['node', 'numo-prep', 'convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', out, '--quiet'];
      const script = `
        for (const flag of ${JSON.stringify(flags)}) require('node:v8').setFlagsFromString(flag);
        const bundles = require(${JSON.stringify(join(bin, 'bundles.js'))});
        const cli = bundles.loadBundle('cli.cjs');
        cli.main(${JSON.stringify(argv)}, { adaptToWork: cli.adaptV8ToWork }).then((code) => console.log(JSON.stringify({ code, bundles: bundles.loadedBundles() })));`;
      const r = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { code: number; bundles: unknown[] };
      return { ...r, output: readFileSync(out, 'utf8') };
    };

    /** Only the generated passwords (the 8th column) differ between runs. */
    const withoutPasswords = (csv: string) => csv.split('\n').map((line) => line.replace(/^((?:[^;]*;){7})[^;]*/, '$1'));

    it('the build trains both bundles a command loads, and a run uses their caches', () => {
      expect(
        readdirSync(NPM)
          .filter((f) => f.endsWith('.v8cache'))
          .sort(),
      ).toEqual(['app.cjs.v8cache', 'cli.cjs.v8cache']);
      const r = convertThrough(join(ROOT, 'bin'), join(tempDir(), 'numo.csv'));
      expect(r.code).toBe(0);
      expect(r.bundles).toEqual([
        { name: 'cli.cjs', cache: 'used' },
        { name: 'app.cjs', cache: 'used' },
      ]);
    });

    it('both bundles are ASCII, so Node holds their text one byte per character (the build refuses any other)', () => {
      for (const name of ['cli.cjs', 'app.cjs']) expect(readFileSync(join(NPM, name)).findIndex((b) => b > 0x7f)).toBe(-1);
    });

    it('a cache of another build or another V8 is never offered, one V8 refuses is compiled from the text: the same output', () => {
      const copy = tempDir();
      mkdirSync(join(copy, 'dist'));
      cpSync(join(ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
      cpSync(NPM, join(copy, 'dist', 'npm'), { recursive: true });
      // Same text length, other build: V8 checks only the length, so bundles.js must notice it.
      const cli = join(copy, 'dist', 'npm', 'cli.cjs');
      const text = readFileSync(cli, 'utf8');
      writeFileSync(
        cli,
        text.replace(/^\/\/ build ([0-9a-f])/, (_, c: string) => `// build ${c === '0' ? '1' : '0'}`),
      );
      // A cache another V8 made: V8 would refuse it, bundles.js does not even offer it.
      const appCache = join(copy, 'dist', 'npm', 'app.cjs.v8cache');
      writeFileSync(appCache, readFileSync(appCache, 'latin1').replace(` ${process.versions.v8} `, ' 1.2.3.4 '), 'latin1');
      const expected = convertThrough(join(ROOT, 'bin'), join(tempDir(), 'numo.csv')).output;
      const other = convertThrough(join(copy, 'bin'), join(copy, 'numo.csv'));
      expect(other.bundles).toEqual([
        { name: 'cli.cjs', cache: 'none' },
        { name: 'app.cjs', cache: 'none' },
      ]);
      // Under other V8 flags V8 refuses the cache itself.
      const flagged = convertThrough(join(ROOT, 'bin'), join(tempDir(), 'numo.csv'), ['--max-lazy']);
      expect(flagged.bundles).toEqual([
        { name: 'cli.cjs', cache: 'rejected' },
        { name: 'app.cjs', cache: 'rejected' },
      ]);
      for (const r of [other, flagged]) {
        expect(r.code).toBe(0);
        expect(withoutPasswords(r.output)).toEqual(withoutPasswords(expected));
        expect(r.output.split('\n').length).toBeGreaterThan(10);
      }
    });
  });

  it('each vendor file exports what its package does, and the licences ship beside them', { timeout: 120_000 }, () => {
    const vendors: Record<string, string> = { 'chalk.cjs': 'chalk', 'ora.cjs': 'ora', 'exceljs.cjs': 'exceljs', 'inquirer-prompts.cjs': '@inquirer/prompts', 'csv-parse.cjs': 'csv-parse' };
    expect(readdirSync(join(NPM, 'vendor')).sort()).toEqual(Object.keys(vendors).sort());
    // One child process for all: what Node gives src/'s `await import(name)` is an ESM package's namespace, a
    // CommonJS one's module.exports.
    const script = `
      const describe = (m) => Object.keys(m).filter((k) => k !== '__esModule').map((k) => k + ':' + typeof m[k]).sort();
      (async () => {
        const out = {};
        for (const [file, name] of Object.entries(${JSON.stringify(vendors)})) {
          const bundled = require(require('node:path').join(${JSON.stringify(join(NPM, 'vendor'))}, file));
          const real = bundled.__esModule ? await import(name) : require(name);
          out[name] = { bundled: describe(bundled), real: describe(real) };
        }
        console.log(JSON.stringify(out));
      })();`;
    const found = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as Record<string, Record<string, string[]>>;
    expect(Object.keys(found).sort()).toEqual(Object.values(vendors).sort());
    for (const [name, { bundled, real }] of Object.entries(found)) {
      // @inquirer/prompts: only the prompts src/ uses go in (tools/build.mjs checks that list against src/).
      expect(bundled, name).toEqual(name === '@inquirer/prompts' ? ['input:function', 'search:function', 'select:function'] : real);
      expect(real!.length).toBeGreaterThan(2);
    }
    const notices = readFileSync(join(NPM, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    for (const name of ['commander', 'csv-parse', 'chalk', 'ora', 'exceljs', '@inquirer/core']) expect(notices).toMatch(new RegExp(`^${name}@\\d`, 'm'));
  });
});

describe('signals', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} while the output is half-written: the temp file goes, exit ${code}, nothing in TMPDIR`, async () => {
      const dir = tempDir();
      const tmp = tempDir('numo-prep-tmpdir-');
      let held = false;
      const r = await spawnCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', join(dir, 'numo.csv')], {
        nodeArgs: ['--import', HOOK],
        env: { NUMO_PREP_TEST_HOLD_DIR: dir, NUMO_PREP_TEST_HOLD: '1', TMPDIR: tmp, TMP: tmp, TEMP: tmp },
        onStderr: (text, kill) => {
          if (held || !text.includes('[test hook] write 1')) return;
          held = true;
          // The hook holds the first write: the temp file exists now and nothing else does.
          expect(listDir(dir)).toHaveLength(1);
          expect(listDir(dir)[0]).not.toBe('numo.csv');
          kill(signal);
        },
      });
      expect(held).toBe(true);
      expect(r.code).toBe(code);
      expect(r.stderr).toContain('numo-prep: Afgebroken; het half geschreven bestand is verwijderd.');
      expectNoStack(r);
      expect(listDir(dir)).toEqual([]);
      expect(listDir(tmp)).toEqual([]);
    });
  }
});

describe('signals during a long read', () => {
  it('SIGINT and SIGTERM are acted on while the sheet is still being read, not after', async () => {
    const dir = tempDir();
    const src = join(dir, 'opgemaakt.xlsx');
    // 250 students (more than the 200 rows sampled before the output is opened), then 300,000 formatted empty
    // rows, then 8 students: about a second of reading while the output is open (test/corpus/make-corpus.ts).
    copyFileSync(corpus('lange-lege-opmaak.xlsx'), src);
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      let sent = false;
      const r = await spawnCli(['convert', src, '--mapping', MAPPING, '--out', join(dir, 'numo.csv')], {
        nodeArgs: ['--import', HOOK],
        env: { NUMO_PREP_TEST_HOLD_DIR: dir },
        onStderr: (text, kill) => {
          // Write 1 is the header; the 258 students (fewer than a batch of 500) are written (write 2) only after
          // the last row, so a signal acted on after the read shows up as a second write.
          if (sent || !text.includes('[test hook] write 1')) return;
          sent = true;
          kill(signal);
        },
      });
      expect(sent).toBe(true);
      expect(r.code).toBe(code);
      expect(r.stderr).not.toContain('[test hook] write 2');
      expect(listDir(dir)).toEqual(['opgemaakt.xlsx']);
    }
  }, 120_000);
});

describe('a closed pipe', () => {
  it('numo-prep … | head: EPIPE on stdout is no error; the run finishes, writes its file and keeps its exit code', async () => {
    const dir = tempDir();
    const out = join(dir, 'numo.csv');
    const r = await spawnCli(['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', out], { closeStdout: true });
    expectNoStack(r);
    expect(r.stderr).not.toMatch(/EPIPE|onverwacht/i);
    expect(r.code).toBe(0);
    expect(listDir(dir)).toEqual(['numo.csv']);
    const bad = await spawnCli(['convert', fixture('magister-export-fouten.xlsx'), '--mapping', MAPPING, '--dry-run', '--json'], { closeStdout: true });
    expectNoStack(bad);
    expect(bad.code).toBe(1);
  });
});
