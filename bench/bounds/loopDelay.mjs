// Preloaded into the server the benchmark starts (`node --import`): the event loop's own delay,
// reported on SIGUSR2 and reset, so each measured window reads only its own stalls.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
process.on('SIGUSR2', () => {
  const ms = (ns) => Number((ns / 1e6).toFixed(1));
  process.stderr.write(
    `LOOP_DELAY ${JSON.stringify({ max: ms(delay.max), p99: ms(delay.percentile(99)) })}\n`,
  );
  delay.reset();
});
