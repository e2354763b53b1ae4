import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Tests that replace a module with vi.mock (also @inquirer/testing does): a project of their own, so they get a
 * worker (and modules) of their own.
 */
const MOCKING = ['test/cli-injected.test.ts', 'test/atomic-no-hard-links.test.ts', 'test/wizard.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Files share a worker (below): whatever a test stubs or spies on is put back after it.
    unstubEnvs: true,
    unstubGlobals: true,
    restoreMocks: true,
    // Forks, not threads: in-process CLI runs change the working folder, which worker threads cannot.
    pool: 'forks',
    // One worker loads src/ and its packages once for all files instead of once per file: half the suite's CPU
    // time. Safe because main() keeps no state between runs that a test depends on, and every test restores the
    // working folder and environment it changes. Projects still get separate workers.
    // At least two workers, also on a 2-core machine (vitest's default there is one): the type check and the
    // child-process tests mostly wait on other processes.
    poolOptions: { forks: { isolate: false, maxForks: Math.max(2, availableParallelism() - 1) } },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'text'],
    },
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: MOCKING } },
      // vmForks: every file in a fresh module context (so their mocks do not meet), in a process that may chdir.
      { extends: true, test: { name: 'mocking', include: MOCKING, pool: 'vmForks' } },
    ],
  },
});
