import { defineConfig } from 'vitest/config';

// Two projects: `unit` (fast, in-process; also the integration tests that start the sandbox and
// the token store in-process on random ports) and `e2e` (real Chromium against the web host).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'src-*/**/*.test.ts',
            'src-*/**/*.test.tsx',
            'bench/**/*.test.ts',
            'eslint-rules/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
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
