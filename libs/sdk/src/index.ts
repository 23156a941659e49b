export * from './client';
export * from './agent-worker';
export * from './task-context';
export * from './structured-logger';
export * from './log-shipper';
