/**
 * The HTTP client alone, without AgentWorker (and so without Kafka and the
 * message contracts): what the CLI loads, and what a browser or a script
 * that only calls the API needs. `@baton/sdk` exports all of this too.
 */
export * from './orchestrate-platform';
export * from './api-types';
export * from './errors';
export * from './http-client';
export * from './retry-policy';
export * from './run-events';
export * from './pull-worker';
