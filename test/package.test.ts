import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { fixture, MAPPING, ROOT, tempDir } from './helpers.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * What a school PC does: `npm install -g` of the packed tarball, then the installed command. Every runtime package
 * is bundled (tools/build.mjs), so the install is --offline: it must need nothing but the tarball. Packed with
 * --ignore-scripts from a copy of the repo holding the dist/npm/ this run tested (test/global-setup.ts built it):
 * prepack would run the same build (with --clean) a second time, ~2.5 s of CPU that the build's own tests
 * (test/process.test.ts) already spend.
 */
it('npm pack + npm install -g --offline <tarball> gives a working numo-prep', { timeout: 120_000 }, async () => {
  const tmp = tempDir('numo-prep-pack-');
  // Without node_modules: npm pack would read every package in it (~0.7 s of CPU), and the installed command must
  // not lean on them.
  const repo = join(tmp, 'checkout', 'repo');
  // coverage/: a coverage run writes there while this test copies the tree. dist/: only dist/npm/ is packed.
  const skip = new Set(['dist', '.git', 'bench/out', 'release', 'coverage']);
  cpSync(ROOT, repo, {
    recursive: true,
    filter: (src) => {
      const rel = relative(ROOT, src);
      return !skip.has(rel.split(/[\\/]/)[0]!) && !skip.has(rel) && !rel.split(/[\\/]/).includes('node_modules');
    },
  });
  cpSync(join(ROOT, 'dist', 'npm'), join(repo, 'dist', 'npm'), { recursive: true });
  const shell = process.platform === 'win32';
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
  // A release runs the build in prepack, --clean so that no file of an older build ships.
  expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).scripts.prepack).toBe('node tools/build.mjs --clean');
  await run(npm, ['pack', '--ignore-scripts', '--pack-destination', tmp, '--loglevel=error'], { cwd: repo, shell, env });
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
  const { stdout: listing } = await run('tar', ['-tzf', join(tmp, tarball)]);
  const files = listing.trim().split('\n').sort();
  expect(files).toEqual(
    expect.arrayContaining([
      'package/bin/numo-prep.js',
      'package/bin/bundles.js',
      'package/bin/package.json',
      'package/dist/npm/cli.cjs',
      'package/dist/npm/cli.cjs.v8cache',
      'package/dist/npm/app.cjs',
      'package/dist/npm/app.cjs.v8cache',
      'package/dist/npm/THIRD-PARTY-NOTICES.txt',
    ]),
  );
  // The README links to the reference and the Windows notes: they ship with it.
  expect(files).toEqual(expect.arrayContaining(['package/docs/REFERENCE.md', 'package/docs/WINDOWS.md']));
  expect(files.filter((f) => !/^package\/(bin\/|dist\/npm\/|docs\/(REFERENCE|WINDOWS)\.md$|mappings\/voorbeeld\.csv$|package\.json$|README\.md$|LICENSE$)/.test(f))).toEqual([]);
  const { stdout: manifest } = await run('tar', ['-xzOf', join(tmp, tarball), 'package/package.json']);
  const published = JSON.parse(manifest);
  expect(published.dependencies ?? {}).toEqual({});
  // No install scripts: npm 11 asks the admin to allow them (a prepare too, which npm never runs for a tarball).
  expect(Object.keys(published.scripts ?? {}).filter((s) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(s))).toEqual([]);
  expect(readFileSync(join(repo, 'package.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'package.json'), 'utf8'));

  const prefix = join(tmp, 'prefix');
  await run(npm, ['install', '-g', '--offline', '--prefix', prefix, join(tmp, tarball), '--loglevel=error'], { cwd: tmp, shell, env });
  const bin = process.platform === 'win32' ? join(prefix, 'numo-prep.cmd') : join(prefix, 'bin', 'numo-prep');
  const version = await run(bin, ['--version'], { cwd: tmp, shell });
  expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  const out = join(tmp, 'numo.csv');
  const convert = await run(bin, ['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', out], { cwd: tmp, shell });
  expect(convert.stdout).toContain(`geschreven naar ${out}`);
  // The exceljs bundle, which only `mapping` (and the wizard) load.
  const workbook = join(tmp, 'mapping.xlsx');
  const mapping = await run(bin, ['mapping', fixture('magister-export.xlsx'), '--out', workbook, '--no-config'], { cwd: tmp, shell });
  expect(mapping.stdout).toContain(`${workbook} geschreven`);
});
