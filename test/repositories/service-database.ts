import { runMigrations, type DatabaseOptions } from '@baton/database';
import { DataSource } from 'typeorm';

/**
 * A service's schema in the repository tests' database, migrated as the
 * service migrates it at start, and a DataSource configured as the service's
 * (search_path on its schema), for constructing its repositories directly.
 */
export async function serviceDatabase(options: DatabaseOptions): Promise<DataSource> {
  const url = process.env.BATON_REPOSITORY_DATABASE_URL;
  if (!url) {
    throw new Error(
      'BATON_REPOSITORY_DATABASE_URL is unset: run through test/jest-repositories.config.js',
    );
  }
  await runMigrations(url, options);
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema: options.schema,
    entities: options.entities,
    extra: { max: 4, options: `-c search_path=${options.schema} -c jit=off` },
  });
  return dataSource.initialize();
}

/** Empties the tables between tests, so that claims across workspaces see only a test's rows. */
export async function emptyTables(dataSource: DataSource, tables: string[]): Promise<void> {
  await dataSource.query(`TRUNCATE ${tables.join(', ')}`);
}

/**
 * A describe block's database: the service's schema migrated before the
 * block, `tables` emptied before each test, the connection closed after.
 * Hooks and tests read `.dataSource`.
 */
export function useServiceDatabase(
  options: DatabaseOptions,
  tables: string[],
): { readonly dataSource: DataSource } {
  const handle = { dataSource: undefined as unknown as DataSource };
  beforeAll(async () => {
    handle.dataSource = await serviceDatabase(options);
  });
  afterAll(() => handle.dataSource?.destroy());
  beforeEach(() => emptyTables(handle.dataSource, tables));
  return handle;
}
