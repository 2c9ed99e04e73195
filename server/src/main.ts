import { startAtrium } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

/** Entry point of `npm start` and `atrium serve`: start, then stop cleanly on SIGTERM or SIGINT. */
export async function main(): Promise<void> {
  const config = loadConfig();
  // Someone reading a terminal gets readable lines; a pipe or a file gets JSON.
  const log = createLogger(config.logLevel, { pretty: process.stdout.isTTY === true });
  // The last resort: every failure should be contained where it happens (that kernel, that Space,
  // that socket); one that escapes is a bug to log, not a reason to end the server for everyone.
  // Here, not in startAtrium, so test runners still report such escapes as failures.
  process.on('unhandledRejection', (reason) =>
    log.error({ err: reason }, 'unhandled rejection (a bug; the server keeps serving)'),
  );
  process.on('uncaughtException', (err) =>
    log.error({ err }, 'uncaught exception (a bug; the server keeps serving)'),
  );
  const atrium = await startAtrium(config, { log });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    atrium.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
