import { defineConfig } from 'vitest/config';

// npm run test:exe — the Windows smoke suite, apart from `npm test`: it needs Wine and a built release/.
export default defineConfig({
  test: {
    include: ['exe/*.test.ts'],
    // Wine runs one program at a time well; the steps share one Wine prefix and build on each other.
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // The smoke tests compare the .exe with the npm CLI (bin/numo-prep.js): a stale or missing dist/npm/ is built
    // first, as in npm test, or that CLI's "numo-prep wordt gebouwd…" on a fresh clone would be compared too.
    globalSetup: ['test/global-setup.ts'],
  },
});
