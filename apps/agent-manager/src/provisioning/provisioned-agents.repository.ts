import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A worker agent whose instances a provisioner (process or kubernetes) starts. */
export interface ProvisionedAgentRow {
  workspace_id: string;
  name: string;
  min_instances: number;
  max_instances: number;
  config: { provisioner?: unknown };
}

/**
 * The agents the provisioners run, read from `agents` (provisioning sits below
 * the agents folder: agents validate provisioner configs, so this does not
 * import the agents repository).
 */
@Injectable()
export class ProvisionedAgentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Active worker agents whose config names a provisioner (of any type). */
  async withProvisioner(): Promise<ProvisionedAgentRow[]> {
    return (await this.dataSource.query(
      `SELECT workspace_id, name, min_instances, max_instances, config FROM agents
       WHERE runtime = 'worker' AND status = 'active' AND config ? 'provisioner'`,
    )) as ProvisionedAgentRow[];
  }

  /** Active worker agents whose provisioner is `kubernetes`. */
  async onKubernetes(): Promise<ProvisionedAgentRow[]> {
    return (await this.dataSource.query(
      `SELECT workspace_id, name, min_instances, max_instances, config FROM agents
       WHERE runtime = 'worker' AND status = 'active' AND config->'provisioner'->>'type' = 'kubernetes'`,
    )) as ProvisionedAgentRow[];
  }
}
