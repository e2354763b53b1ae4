import { execFile } from 'node:child_process';
import { cpSync, readdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { fixture, MAPPING, ROOT, tempDir } from './helpers.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * What a school PC does: `npm install -g` of the packed tarball, then the installed command. Packed from a copy of
 * the repo, because prepack rebuilds dist/ and other test files run the CLI from it meanwhile. Needs the npm
 * registry (or a warm npm cache) for the dependencies.
 */
it('npm pack + npm install -g <tarball> gives a working numo-prep', { timeout: 600_000 }, async () => {
  const tmp = tempDir('numo-prep-pack-');
  const repo = join(tmp, 'repo');
  const skip = new Set(['node_modules', 'dist', '.git', 'bench/out']);
  cpSync(ROOT, repo, { recursive: true, filter: (src) => !skip.has(relative(ROOT, src).split(/[\\/]/)[0]!) && !skip.has(relative(ROOT, src)) });
  symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'junction');
  const shell = process.platform === 'win32';
  await run(npm, ['pack', '--pack-destination', tmp], { cwd: repo, shell });
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
  expect(readdirSync(repo)).not.toContain('npm-shrinkwrap.json'); // postpack tidied up
  const { stdout: listing } = await run('tar', ['-tzf', join(tmp, tarball)]);
  expect(listing).toContain('package/dist/src/cli.js');
  expect(listing).toContain('package/npm-shrinkwrap.json');
  expect(listing).not.toMatch(/package\/(test|src|fixtures)\//);

  const prefix = join(tmp, 'prefix');
  await run(npm, ['install', '-g', '--prefix', prefix, join(tmp, tarball), '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: tmp,
    shell,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  const bin = process.platform === 'win32' ? join(prefix, 'numo-prep.cmd') : join(prefix, 'bin', 'numo-prep');
  const version = await run(bin, ['--version'], { cwd: tmp, shell });
  expect(version.stdout.trim()).toBe('0.1.0');
  const out = join(tmp, 'numo.csv');
  const convert = await run(bin, ['convert', fixture('magister-export.xlsx'), '--mapping', MAPPING, '--out', out], { cwd: tmp, shell });
  expect(convert.stdout).toContain(`geschreven naar ${out}`);
});
