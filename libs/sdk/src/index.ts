export * from './client';
export * from './agent-worker';
export * from './structured-logger';
