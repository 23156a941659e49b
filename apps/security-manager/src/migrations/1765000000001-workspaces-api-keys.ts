import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workspaces that can be deleted (keys stop at once) and purged later (a
 * tombstone stays, so an id is never reused for someone else's data); API
 * keys with one role, an expiry, scopes, their creator and rotation.
 */
export class WorkspacesApiKeys1765000000001 implements MigrationInterface {
  name = 'WorkspacesApiKeys1765000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE workspaces
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN deleted_at timestamptz,
        ADD COLUMN purged_at timestamptz`);
    await runner.query(`
      ALTER TABLE api_keys
        ADD COLUMN origin text NOT NULL DEFAULT 'api',
        ADD COLUMN scopes jsonb,
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN created_by text,
        ADD COLUMN replaced_by uuid`);
    // Names are labels, not identities: a rotated key and its successor share one.
    // Only the key from the environment is found by name, so only it stays unique.
    await runner.query(
      'ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_workspace_id_name_key',
    );
    await runner.query(`UPDATE api_keys SET origin = 'bootstrap' WHERE name = 'bootstrap'`);
    await runner.query(`
      CREATE UNIQUE INDEX api_keys_bootstrap_name ON api_keys (workspace_id, name)
      WHERE origin = 'bootstrap'`);
    await runner.query(
      'CREATE INDEX api_keys_workspace_created ON api_keys (workspace_id, created_at, id)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX api_keys_workspace_created');
    await runner.query('DROP INDEX api_keys_bootstrap_name');
    await runner.query(`
      ALTER TABLE api_keys
        DROP COLUMN origin, DROP COLUMN scopes, DROP COLUMN expires_at,
        DROP COLUMN created_by, DROP COLUMN replaced_by`);
    await runner.query(`
      ALTER TABLE workspaces
        DROP COLUMN updated_at, DROP COLUMN deleted_at, DROP COLUMN purged_at`);
  }
}
