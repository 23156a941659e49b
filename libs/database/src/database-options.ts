import type { EntitySchema, MixedList } from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type ClassList = MixedList<Function | string | EntitySchema>;

export interface DatabaseOptions {
  /** The service's own Postgres schema; no other service reads it. */
  schema: string;
  entities: ClassList;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

/** What the module reads of the service's validated env (DatabaseEnv in service-kit). */
export interface DatabaseSettings {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE?: number;
  OUTBOX_MISSING_TOPIC_GRACE_MS?: number;
}
