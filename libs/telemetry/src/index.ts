export * from './tracing';
export * from './logger';
export * from './nest-logger';
export * from './request-context';
export * from './metrics';
export * from './logger-token';
export * from './log-shipping';
