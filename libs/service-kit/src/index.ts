export * from './env';
export * from './readiness';
export * from './problem.filter';
export * from './service-kit.module';
export * from './bootstrap';
export * from './service-command-server';
