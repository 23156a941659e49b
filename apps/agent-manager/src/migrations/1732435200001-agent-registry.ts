import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgentRegistry1732435200001 implements MigrationInterface {
  name = 'AgentRegistry1732435200001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE agents (
        workspace_id text NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        runtime text NOT NULL,
        description text,
        capabilities jsonb NOT NULL DEFAULT '[]',
        min_instances int NOT NULL,
        max_instances int NOT NULL,
        config jsonb NOT NULL DEFAULT '{}',
        input_schema jsonb,
        output_schema jsonb,
        version int NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, name)
      )`);
    await runner.query(`
      CREATE TABLE agent_versions (
        workspace_id text NOT NULL,
        name text NOT NULL,
        version int NOT NULL,
        spec jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, name, version)
      )`);
    await runner.query(`
      CREATE TABLE agent_instances (
        workspace_id text NOT NULL,
        agent text NOT NULL,
        instance_id text NOT NULL,
        in_flight int NOT NULL DEFAULT 0,
        version text,
        last_heartbeat timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, agent, instance_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE agent_instances');
    await runner.query('DROP TABLE agent_versions');
    await runner.query('DROP TABLE agents');
  }
}
