// The package.json that goes into the tarball, around `npm pack` (prepack: strip, postpack: restore).
// The repo's package.json has a `prepare` script (so `npm install` in a checkout builds dist/npm/) and
// devDependencies. An installed package needs neither: it is bundled and never builds. But npm 11 lists a
// `prepare` of an installed package as an install script "not yet covered by allowScripts" and asks the user
// to allow it; a school admin should not be asked to allow scripts that never run. So the tarball's manifest
// has no scripts and no devDependencies. The same pattern as pinst (husky): rewrite before, restore after.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const MANIFEST = 'package.json';
const BACKUP = 'package.json.prepack';

const step = process.argv[2];
if (step === 'strip') {
  // A pack that failed between strip and restore left the backup: that one is the real manifest.
  if (existsSync(BACKUP)) renameSync(BACKUP, MANIFEST);
  const text = readFileSync(MANIFEST, 'utf8');
  const { scripts: _scripts, devDependencies: _dev, ...published } = JSON.parse(text);
  writeFileSync(BACKUP, text);
  writeFileSync(MANIFEST, `${JSON.stringify(published, null, 2)}\n`);
} else if (step === 'restore') {
  if (existsSync(BACKUP)) renameSync(BACKUP, MANIFEST);
} else {
  console.error('usage: node tools/pack-manifest.mjs strip|restore');
  process.exit(2);
}
