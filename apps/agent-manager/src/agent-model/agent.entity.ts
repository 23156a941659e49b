import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'agents' })
export class AgentEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  runtime!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'jsonb' })
  capabilities!: string[];

  @Column({ name: 'min_instances', type: 'int' })
  minInstances!: number;

  @Column({ name: 'max_instances', type: 'int' })
  maxInstances!: number;

  @Column({ type: 'jsonb' })
  config!: Record<string, unknown>;

  @Column({ name: 'input_schema', type: 'jsonb', nullable: true })
  inputSchema!: Record<string, unknown> | null;

  @Column({ name: 'output_schema', type: 'jsonb', nullable: true })
  outputSchema!: Record<string, unknown> | null;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Set while decommissioning: in-flight tasks that are not done by then are failed. */
  @Column({ name: 'decommission_deadline', type: 'timestamptz', nullable: true })
  decommissionDeadline!: Date | null;
}

/** Every registration and change is kept as an immutable version. */
@Entity({ name: 'agent_versions' })
export class AgentVersionEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'jsonb' })
  spec!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
