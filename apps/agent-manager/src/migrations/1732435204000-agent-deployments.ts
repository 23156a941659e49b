import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deployments the kubernetes provisioner owns: written before a Deployment is
 * created, so that one is never left behind after a crash, and holding what
 * the cluster last said (replicas, ready replicas, the last error) for
 * `GET /v1/agents/{name}`, which any replica may answer.
 */
export class AgentDeployments1732435204000 implements MigrationInterface {
  name = 'AgentDeployments1732435204000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE agent_deployments (
        workspace_id text NOT NULL,
        agent text NOT NULL,
        namespace text NOT NULL,
        name text NOT NULL,
        replicas int,
        ready_replicas int,
        error text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        PRIMARY KEY (workspace_id, agent)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE agent_deployments');
  }
}
