import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * One logger for the process; children add a `module` field. JSON lines for machines (files, pipes,
 * log collectors); `pretty` (a terminal, see main.ts) prints readable lines through pino-pretty.
 */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const base = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  if (!options.pretty) return pino(base);
  return pino({
    ...base,
    transport: {
      target: 'pino-pretty',
      options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true },
    },
  });
}
