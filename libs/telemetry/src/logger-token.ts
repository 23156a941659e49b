/** The injection token of the service's pino logger (a pino logger; provided by @baton/service-kit). */
export const LOGGER = Symbol.for('baton.logger');

export interface PinoLike {
  error(extra: object, message: string): void;
  warn(extra: object, message: string): void;
  info(extra: object, message: string): void;
  debug(extra: object, message: string): void;
}
