import { APP_DIR, NODE_PATH_IN_IMAGE } from './collectImageFiles.js';

/**
 * The runner's command line in a sandbox of `memoryMb` (the kernel process it forks inherits the flags).
 * Node sizes V8's heap from the cgroup limit, and for a 512 MB sandbox that means a 1-2 MB young
 * generation and an old generation collected every few allocations: measured, the seed pipelines ran at
 * 0.8 (image classification) to 0.9 (text) of the same pipelines in-process. Starting the old generation
 * at a quarter of the memory and letting the young one grow to memory/32 (at most V8's usual 16 MB)
 * brings them to 0.93-0.98, and leaves V8 its ceiling, so a heap that keeps growing still meets V8's
 * limit rather than the OOM killer first.
 */
export function runnerCommand(memoryMb: number): string[] {
  return [
    NODE_PATH_IN_IMAGE,
    `--initial-old-space-size=${Math.max(8, Math.floor(memoryMb / 4))}`,
    `--max-semi-space-size=${Math.min(16, Math.max(1, Math.floor(memoryMb / 32)))}`,
    `${APP_DIR}/runner/start.js`,
  ];
}
