import { createLogger, processLogger, setProcessLogger } from '../observability/logger';

/** A log line as written (JSON), parsed. */
export type LogLine = Record<string, unknown> & { level: string; msg?: string };

export interface CapturedLogs {
  /** Every line written since captureLogs(), in order. */
  readonly lines: LogLine[];
  /** The process's logger from before. */
  restore(): void;
}

/**
 * Points the process's logger at an array, at level info whatever LOG_LEVEL
 * says (jest runs quiet: LOG_LEVEL=silent), for what starts afterwards: a
 * test reads the lines its services wrote.
 */
export function captureLogs(): CapturedLogs {
  const before = processLogger();
  const lines: LogLine[] = [];
  setProcessLogger(createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } }));
  return { lines, restore: () => setProcessLogger(before) };
}
