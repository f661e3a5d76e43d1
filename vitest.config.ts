import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests start real SMTP servers, browsers and child processes: two workers fit a 2-core CI machine.
    maxWorkers: 2,
  },
});
