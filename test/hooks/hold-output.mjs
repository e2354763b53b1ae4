// Test hook, loaded with `node --import` into the real CLI by test/process.test.ts; never part of numo-prep.
// The first write to a file opened for writing in NUMO_PREP_TEST_HOLD_DIR never completes, and the process says
// so on stderr: the test then knows, without polling or timing, that an output is half-written, and signals it.
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { dirname, resolve } from 'node:path';

const dir = resolve(process.env.NUMO_PREP_TEST_HOLD_DIR ?? '');
const open = fsp.open;
fsp.open = async function (path, flags, ...rest) {
  const handle = await open.call(this, path, flags, ...rest);
  const writing = typeof flags === 'number' ? (flags & 3) !== 0 : /[wa+]/.test(String(flags ?? ''));
  if (writing && dirname(resolve(String(path))) === dir) {
    handle.write = () => {
      process.stderr.write('[test hook] output held half-written\n');
      setInterval(() => {}, 1 << 30); // keeps the process alive until the signal
      return new Promise(() => {});
    };
  }
  return handle;
};
// `import { open } from 'node:fs/promises'` in numo-prep is a live binding; this makes it see the wrapper.
syncBuiltinESMExports();
