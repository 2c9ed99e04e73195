import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Time limits are tripwires for a hang, generous enough to hold with the other core busy.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // expect.poll gives up after 1 s by default: far too tight for a page on a loaded machine.
    expect: { poll: { timeout: 30_000 } },
    // Suites start real servers, containers and browsers: run files one at a time on 2 cores.
    fileParallelism: false,
    reporters: ['default'],
  },
});
