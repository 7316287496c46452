import pino, { type DestinationStream, type Logger } from 'pino';
import { logLevelFromEnv, type LogLevel } from '../config';

export type { DestinationStream, Logger };

export interface LoggerOptions {
  /** Default: LOG_LEVEL (info). */
  level?: LogLevel;
  /** Where the JSON lines go (default stdout); tests point it at an array (kit/testing: captureLogs). */
  destination?: DestinationStream;
}

/**
 * What is written of an unexpected error: its kind, code and stack frames.
 * Messages of database errors are withheld, because the driver puts the SQL
 * with its parameters (names, birth dates) into them.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const fromDatabase = 'sql' in error || 'sqlState' in error || /Exception$/.test(error.name) || (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code));
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: fromDatabase ? '(database error: message withheld, it may carry data)' : error.message.split('\n')[0]!.slice(0, 300),
    stack: (error.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .slice(0, 15)
      .map((line) => line.trim()),
  };
}

/** A JSON-lines logger: ISO time, the level by name, errors reduced by safeError. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? logLevelFromEnv(),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: safeError },
    },
    options.destination,
  );
}

let root: Logger | undefined;

/**
 * The process's one logger; each service logs through a child of it naming
 * itself (serviceLogger). Made on first use, so LOG_LEVEL is read then.
 */
export function processLogger(): Logger {
  return (root ??= createLogger());
}

/** Replaces the process's logger for what starts afterwards (tests capture lines with it). */
export function setProcessLogger(logger: Logger): void {
  root = logger;
}

/** A service's logger: every line carries `service` (and `school` for a school's instance). */
export function serviceLogger(identity: { service: string; school?: string }): Logger {
  return processLogger().child(identity.school ? { service: identity.service, school: identity.school } : { service: identity.service });
}

/**
 * The `log` callback the servers take (notices as strings, unexpected errors
 * as objects), written to a structured logger: notices as warnings, errors
 * as errors without their data.
 */
export function noticeLog(logger: Logger): (entry: unknown) => void {
  return (entry) => {
    if (typeof entry === 'string') logger.warn(entry);
    else logger.error({ err: entry }, 'unexpected error');
  };
}
