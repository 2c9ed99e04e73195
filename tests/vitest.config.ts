import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Suites start real servers, containers and browsers: run files one at a time on 2 cores.
    fileParallelism: false,
    reporters: ['default'],
  },
});
