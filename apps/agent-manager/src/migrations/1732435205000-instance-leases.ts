import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each instance reports the tasks it holds and its lease on them (ADR 0008). */
export class InstanceLeases1732435205000 implements MigrationInterface {
  name = 'InstanceLeases1732435205000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE agent_instances ADD COLUMN tasks jsonb NOT NULL DEFAULT '[]'::jsonb,
         ADD COLUMN lease_ms int`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE agent_instances DROP COLUMN tasks, DROP COLUMN lease_ms');
  }
}
