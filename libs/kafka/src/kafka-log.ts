import { logLevel, type LogEntry } from 'kafkajs';

type LogSink = (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: object) => void;

/** Routes kafkajs' own logs into the service logger instead of its console format. */
export function kafkaLogCreator(sink: LogSink) {
  return () =>
    ({ level, log }: LogEntry): void => {
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
      // kafkajs logs at ERROR what it then retries (a new topic's leader not yet
      // elected, a rebalance); failures that matter surface as thrown errors.
      const mapped =
        level === logLevel.ERROR || level === logLevel.WARN
          ? 'warn'
          : level === logLevel.INFO
            ? 'info'
            : 'debug';
      sink(mapped, `kafkajs: ${message}`, extra);
    };
}
