// npm pack / npm publish hooks. `before` (prepack): a clean build, so dist/ holds no files of deleted sources,
// and npm-shrinkwrap.json from package-lock.json, so a school PC installs exactly the dependency versions the
// tests ran against. `after` (postpack): the shrinkwrap goes again; package-lock.json stays the one source.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const step = process.argv[2];
if (step === 'before') {
  rmSync('dist', { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit' });
  copyFileSync('package-lock.json', 'npm-shrinkwrap.json');
} else if (step === 'after') {
  rmSync('npm-shrinkwrap.json', { force: true });
} else {
  throw new Error('usage: node tools/pack.mjs before|after');
}
