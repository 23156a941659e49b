import { WorkspaceRow } from '@baton/database';
import { Column, Entity } from 'typeorm';

export type TaskOrigin = 'invoke' | 'submit' | 'workflow';
/** Who runs the task: an outside worker over Kafka, or agent-manager itself (rules, http, llm). */
export type TaskExecutor = 'worker' | 'agent-manager';
export type TaskStatus = 'running' | 'completed' | 'failed';
export type CallbackStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

export interface TaskError {
  type: string;
  message: string;
}

@Entity({ name: 'tasks' })
export class TaskEntity extends WorkspaceRow {
  @Column({ type: 'text' })
  agent!: string;

  @Column({ name: 'agent_version', type: 'int' })
  agentVersion!: number;

  @Column({ type: 'text' })
  origin!: TaskOrigin;

  @Column({ type: 'text' })
  executor!: TaskExecutor;

  @Column({ type: 'text' })
  status!: TaskStatus;

  @Column({ type: 'int' })
  attempt!: number;

  @Column({ type: 'jsonb', nullable: true })
  input!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  output!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  error!: TaskError | null;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  @Column({ type: 'text', nullable: true })
  step!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  deadline!: Date | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'callback_url', type: 'text', nullable: true })
  callbackUrl!: string | null;

  @Column({ name: 'callback_status', type: 'text', nullable: true })
  callbackStatus!: CallbackStatus | null;

  @Column({ name: 'callback_attempts', type: 'int' })
  callbackAttempts!: number;

  @Column({ name: 'callback_last_error', type: 'text', nullable: true })
  callbackLastError!: string | null;

  @Column({ name: 'callback_last_attempt_at', type: 'timestamptz', nullable: true })
  callbackLastAttemptAt!: Date | null;

  @Column({ name: 'callback_next_at', type: 'timestamptz', nullable: true })
  callbackNextAt!: Date | null;

  @Column({ name: 'callback_delivered_at', type: 'timestamptz', nullable: true })
  callbackDeliveredAt!: Date | null;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'duration_ms', type: 'int', nullable: true })
  durationMs!: number | null;
}
