import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Keeps dist/ (run by the few child-process tests) as new as src/.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    // Forks, not threads: in-process CLI runs change the working folder, which worker threads cannot.
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'text'],
    },
  },
});
