export * from './database.module';
export * from './outbox-relay';
export * from './unit-of-work';
export * from './schema-bootstrap';
export * from './insert-entity';
export * from './run-migrations';
export * from './polling-loop';
export * from './prepared-query';
