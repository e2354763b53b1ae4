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
  },
});
