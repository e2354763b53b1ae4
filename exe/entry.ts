// Entry of the single-file builds (release/numo-prep.cjs and the .exe made from it). bin/numo-prep.js uses top-level
// await, which a CommonJS bundle cannot hold; otherwise this does the same.
import v8 from 'node:v8';
import { main, onSignal, SIGNAL_EXIT_CODES } from '../src/cli.js';

// Same heap tuning as bin/numo-prep.js (see docs/PERFORMANCE.md).
v8.setFlagsFromString('--heap-growing-percent=30');

for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
  process.on(signal, () => {
    onSignal(process.stderr);
    process.exit(code);
  });
}
void main(process.argv).then((code) => {
  process.exitCode = code;
});
