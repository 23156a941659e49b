export * from './orchestrate-platform';
export * from './agent-worker';
export * from './errors';
export * from './http-client';
export * from './retry-policy';
export * from './structured-logger';
export * from './run-events';
