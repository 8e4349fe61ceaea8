import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two projects (README "Development"): unit tests run the source in-process; e2e tests run the
    // real binary from dist/, which test/global-setup.ts builds first when it is older than the sources.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          globalSetup: ['test/global-setup.ts', 'test/temp-dir.ts'],
          // One module graph per worker, not per file: importing the generator, the rules and the
          // compiled schemas took about 0.6 s per file, more than most files' tests (test/policies:
          // 25 s isolated, 4.5 s shared). No test mocks modules or keeps module state.
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/global-setup.ts', 'test/temp-dir.ts'] },
      },
    ],
    testTimeout: 30_000,
    pool: 'forks',
    // Both cores: vitest's default left one of the two idle here (whole suite on an idle 2-core
    // machine: 191 s by default, 137 s with two workers).
    maxWorkers: 2,
  },
});
