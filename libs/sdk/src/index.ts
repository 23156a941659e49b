export * from './orchestrate-platform';
export * from './agent-worker';
export * from './http-client';
export * from './structured-logger';
export * from './log-shipper';
