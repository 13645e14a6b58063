import { defineConfig } from 'vitest/config';

// Two projects: `unit` (fast, in-process; also the integration tests that start the sandbox and
// the token store in-process on random ports) and `e2e` (real Chromium against the web host).
// Both build the Node bundles first: the tests that spawn the web host, the sandbox or the token
// store run them as `npm run web` does, and a stale bundle would test yesterday's code.
const globalSetup = ['./scripts/build-servers.mjs'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          globalSetup,
          include: [
            'src-*/**/*.test.ts',
            'src-*/**/*.test.tsx',
            'bench/**/*.test.ts',
            'eslint-rules/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          globalSetup,
          include: ['e2e/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
