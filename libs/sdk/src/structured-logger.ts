import pino, { type Logger } from 'pino';

type Fields = Record<string, unknown>;

/**
 * The seed's `orchestrate.logger.info('Agent invoked', { agent_id, request_id })`:
 * message first, then fields, written as one JSON line by pino.
 */
export class StructuredLogger {
  constructor(private readonly logger: Logger = pino()) {}

  info(message: string, fields: Fields = {}): void {
    this.logger.info(fields, message);
  }

  warn(message: string, fields: Fields = {}): void {
    this.logger.warn(fields, message);
  }

  error(message: string, fields: Fields = {}): void {
    this.logger.error(fields, message);
  }

  debug(message: string, fields: Fields = {}): void {
    this.logger.debug(fields, message);
  }
}
