import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events that arrive before the wait_for_event step they are meant for:
 * kept for a while (only of types some workflow waits for) so that the wait,
 * once created, still sees them.
 */
export class EarlyEvents1732435205000 implements MigrationInterface {
  name = 'EarlyEvents1732435205000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE awaited_event_types (
        workspace_id text NOT NULL,
        event_type text NOT NULL,
        PRIMARY KEY (workspace_id, event_type)
      )`);
    await runner.query(`
      INSERT INTO awaited_event_types (workspace_id, event_type)
      SELECT DISTINCT v.workspace_id, t #>> '{}'
        FROM workflow_versions v,
             jsonb_path_query(v.definition, 'strict $.** ? (@.kind == "wait_for_event").eventType') t
      ON CONFLICT DO NOTHING`);
    await runner.query(`
      CREATE TABLE early_events (
        workspace_id text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        keys text[] NOT NULL,
        data jsonb,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, event_id)
      )`);
    await runner.query(
      'CREATE INDEX early_events_by_type ON early_events (workspace_id, event_type, received_at)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE early_events');
    await runner.query('DROP TABLE awaited_event_types');
  }
}
