import type { WorkflowDefinition } from '@baton/workflow-dsl';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'workflows' })
export class WorkflowEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  /** The version new runs start with (rollback moves it back). */
  @Column({ name: 'active_version', type: 'int' })
  activeVersion!: number;

  @Column({ name: 'latest_version', type: 'int' })
  latestVersion!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'workflow_versions' })
export class WorkflowVersionEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  /** The document as the user sent it (YAML or JSON text). */
  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'jsonb' })
  definition!: WorkflowDefinition;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
