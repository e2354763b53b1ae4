import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Tests that replace a module with vi.mock (also @inquirer/testing does): a project of their own, so they get a
 * worker (and modules) of their own. Two files that use @inquirer/testing must not share a worker (the second one's
 * prompts never reach its screen): trust-files.test.ts is the only one in the shared project.
 */
const MOCKING = ['test/cli-injected.test.ts', 'test/io-faults.test.ts', 'test/atomic-no-hard-links.test.ts', 'test/atomic-held-open.test.ts', 'test/shred-delete-right.test.ts', 'test/wizard.test.ts'];

/**
 * Test files that spend their run waiting on one long child process (tsc, npm, biome): started first, so that it runs
 * beside the other files instead of after them. Vitest orders the rest longest first by the last run's timings,
 * but on a fresh clone (no timings yet) by file size, which would leave these small files for the end.
 */
const CHILD_BOUND = ['test/typecheck.test.ts', 'test/package.test.ts', 'test/lint.test.ts'];

/** Small files that run long (child processes, hostile files): next, so that none of them ends the run alone. */
const LONG = ['test/process.test.ts', 'test/corpus-hostile.test.ts'];

class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const id = f.moduleId.replaceAll('\\', '/');
      return CHILD_BOUND.some((name) => id.endsWith(name)) ? 0 : LONG.some((name) => id.endsWith(name)) ? 1 : 2;
    };
    // A stable sort: within each rank, vitest's own order (longest first by the last run, else by size).
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // npx (and npm exec) set npm_command=exec, which makes the program name itself `npx numo-prep`: the same
    // expected messages whether the suite runs as `npm test` or `npx vitest`. The child processes of the tests make
    // no TLS connection: an extra CA bundle (this development VM sets one) costs every Node start ~45 ms, ~1.2 s of
    // the suite's CPU time.
    env: { npm_command: '', NODE_EXTRA_CA_CERTS: '' },
    // A stale dist/npm/ is rebuilt once, before the workers start (test/build.ts).
    globalSetup: ['test/global-setup.ts'],
    sequence: { sequencer: LongFirst },
    // Files share a worker (below): whatever a test stubs or spies on is put back after it.
    unstubEnvs: true,
    unstubGlobals: true,
    restoreMocks: true,
    // Vitest 4's restoreMocks no longer clears a vi.fn's calls: a test counts only its own.
    clearMocks: true,
    // Forks, not threads: no test changes folder (runCli hands main() its cwd), but threads cost the suite more
    // (36.4 → 39.7 and 38.8 → 45.1 s wall, alternated on this 2-core VM).
    pool: 'forks',
    // One worker loads src/ and its packages once for all files instead of once per file: half the suite's CPU
    // time. Safe because main() keeps no state between runs that a test depends on, and every test restores the
    // environment it changes. Projects still get separate workers.
    // At least two workers, also on a 2-core machine (vitest's default there is one): the type check and the
    // child-process tests mostly wait on other processes.
    // Workers without GC helper threads: both cores are busy with workers and child processes already, and the
    // helpers' share cost more than it saved (0.95x the suite's CPU, alternated). The CLI's own child processes keep
    // V8's defaults (their code caches are made under them).
    isolate: false,
    maxWorkers: Math.max(2, availableParallelism() - 1),
    execArgv: ['--single-threaded-gc'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'text'],
    },
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: MOCKING } },
      // vmForks: every file in a fresh module context, so their mocks do not meet.
      { extends: true, test: { name: 'mocking', include: MOCKING, pool: 'vmForks' } },
    ],
  },
});
