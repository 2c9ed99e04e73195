import { pino } from 'pino';

export type Logger = pino.Logger;

/** One JSON logger for the process; children add a `module` field. */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
