// Test hook, loaded with `node --import` into the real CLI by test/process.test.ts and the kill -9 test in
// test/trust-files.test.ts; never part of numo-prep.
// Every write to a file opened for writing in NUMO_PREP_TEST_HOLD_DIR is announced on stderr ("[test hook]
// write N"), and with NUMO_PREP_TEST_HOLD=1 the first one never completes. The tests then know, without polling
// or timing, that an output is open (and half-written), and what was written after their signal.
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { dirname, resolve } from 'node:path';

const dir = resolve(process.env.NUMO_PREP_TEST_HOLD_DIR ?? '');
const hold = process.env.NUMO_PREP_TEST_HOLD === '1';
let writes = 0;
const open = fsp.open;
fsp.open = async function (path, flags, ...rest) {
  const handle = await open.call(this, path, flags, ...rest);
  const writing = typeof flags === 'number' ? (flags & 3) !== 0 : /[wa+]/.test(String(flags ?? ''));
  if (writing && dirname(resolve(String(path))) === dir) {
    const write = handle.write.bind(handle);
    handle.write = (...args) => {
      writes++;
      process.stderr.write(`[test hook] write ${writes}\n`);
      if (!hold || writes > 1) return write(...args);
      setInterval(() => {}, 1 << 30); // keeps the process alive until the signal
      return new Promise(() => {});
    };
  }
  return handle;
};
// `import { open } from 'node:fs/promises'` in numo-prep is a live binding; this makes it see the wrapper.
syncBuiltinESMExports();
