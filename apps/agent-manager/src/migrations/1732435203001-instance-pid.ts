import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Instances agent-manager starts itself (process provisioner) are listed with their pid. */
export class InstancePid1732435203001 implements MigrationInterface {
  name = 'InstancePid1732435203001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE agent_instances ADD COLUMN pid int');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE agent_instances DROP COLUMN pid');
  }
}
