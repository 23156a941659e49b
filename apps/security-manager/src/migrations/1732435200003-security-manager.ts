import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SecurityManager1732435200003 implements MigrationInterface {
  name = 'SecurityManager1732435200003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE workspaces (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces (id),
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        roles jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        UNIQUE (workspace_id, name)
      )`);
    await runner.query(`
      CREATE TABLE audit_log (
        message_id text PRIMARY KEY,
        workspace_id text NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        resource text NOT NULL,
        outcome text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        correlation_id text NOT NULL,
        time timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX audit_log_workspace_time ON audit_log (workspace_id, time DESC)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_log');
    await runner.query('DROP TABLE api_keys');
    await runner.query('DROP TABLE workspaces');
  }
}
