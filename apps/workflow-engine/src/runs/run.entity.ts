import { Column, Entity, PrimaryColumn } from 'typeorm';

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';
export interface RunError {
  type: string;
  message: string;
  step?: string;
}

@Entity({ name: 'runs' })
export class RunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ type: 'text' })
  workflow!: string;

  @Column({ name: 'workflow_version', type: 'int' })
  workflowVersion!: number;

  @Column({ type: 'text' })
  status!: RunStatus;

  @Column({ type: 'jsonb' })
  input!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  output!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  error!: RunError | null;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
