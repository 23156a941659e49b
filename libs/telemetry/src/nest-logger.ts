import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/** Lets Nest's own messages (startup, routes, errors) go through the same JSON logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.logger.info(this.extra(rest), String(message));
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.logger.error(this.extra(rest), String(message));
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.logger.warn(this.extra(rest), String(message));
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.logger.debug(this.extra(rest), String(message));
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.logger.trace(this.extra(rest), String(message));
  }

  private extra(rest: unknown[]): object {
    const context = rest.length ? rest[rest.length - 1] : undefined;
    const stack = rest.length > 1 ? rest[0] : undefined;
    return { ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
  }
}
