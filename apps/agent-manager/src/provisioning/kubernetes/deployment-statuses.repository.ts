import type { AgentDeploymentView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface DeploymentRow {
  workspace_id: string;
  agent: string;
  namespace: string;
  name: string;
}

export interface DeploymentState {
  replicas: number | null;
  readyReplicas: number | null;
  error: string | null;
}

interface ViewRow extends DeploymentRow {
  replicas: number | null;
  ready_replicas: number | null;
  error: string | null;
  updated_at: Date;
  deleted_at: Date | null;
}

/** The `agent_deployments` table: which Deployments exist for which agents, and their state. */
@Injectable()
export class DeploymentStatuses {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Deployments created and not yet deleted. */
  async live(): Promise<DeploymentRow[]> {
    return (await this.dataSource.query(
      'SELECT workspace_id, agent, namespace, name FROM agent_deployments WHERE deleted_at IS NULL',
    )) as DeploymentRow[];
  }

  /** Written before the Deployment is created, so a crash never leaves one nobody deletes. */
  async target(row: DeploymentRow): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO agent_deployments (workspace_id, agent, namespace, name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, agent) DO UPDATE SET namespace = EXCLUDED.namespace,
         name = EXCLUDED.name, replicas = NULL, ready_replicas = NULL, error = NULL,
         updated_at = now(), deleted_at = NULL`,
      [row.workspace_id, row.agent, row.namespace, row.name],
    );
  }

  async record(row: DeploymentRow, state: DeploymentState): Promise<void> {
    await this.dataSource.query(
      `UPDATE agent_deployments SET replicas = $3, ready_replicas = $4, error = $5, updated_at = now()
       WHERE workspace_id = $1 AND agent = $2`,
      [row.workspace_id, row.agent, state.replicas, state.readyReplicas, state.error],
    );
  }

  async deleted(row: DeploymentRow): Promise<void> {
    await this.dataSource.query(
      `UPDATE agent_deployments SET replicas = 0, ready_replicas = 0, error = NULL,
         updated_at = now(), deleted_at = now()
       WHERE workspace_id = $1 AND agent = $2 AND namespace = $3 AND name = $4`,
      [row.workspace_id, row.agent, row.namespace, row.name],
    );
  }

  async view(workspaceId: string, agent: string): Promise<AgentDeploymentView | null> {
    const [row] = (await this.dataSource.query(
      'SELECT * FROM agent_deployments WHERE workspace_id = $1 AND agent = $2',
      [workspaceId, agent],
    )) as ViewRow[];
    if (!row) return null;
    return {
      type: 'kubernetes',
      namespace: row.namespace,
      deployment: row.name,
      replicas: row.replicas,
      ready_replicas: row.ready_replicas,
      error: row.error,
      updated_at: row.updated_at.toISOString(),
      deleted_at: row.deleted_at?.toISOString() ?? null,
    };
  }
}
