import { WorkspaceRow } from '@baton/database';
import type { RunStatus } from '@baton/contracts';
import { Column, Entity } from 'typeorm';
import type { ControlState } from '../../interpreter';

/**
 * Only `running` runs advance; `paused` holds what arrives until resumed
 * (runs/operations/); `queued` waits for its workspace's admission (ADR 0041).
 */
export type { RunStatus } from '@baton/contracts';
export interface RunError {
  type: string;
  message: string;
  step?: string;
}

@Entity({ name: 'runs' })
export class RunEntity extends WorkspaceRow {
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

  /** What started the run (an event, a schedule firing), readable as `${trigger}`; null for HTTP. */
  @Column({ type: 'jsonb', nullable: true })
  trigger?: unknown;

  /** Set while paused: timers held meanwhile are shifted by the paused time on resume. */
  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt?: Date | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** Set when this run is a sub-workflow: the run and step (task) that started it. */
  @Column({ name: 'parent_run_id', type: 'uuid', nullable: true })
  parentRunId?: string | null;

  @Column({ name: 'parent_task_id', type: 'uuid', nullable: true })
  parentTaskId?: string | null;

  /** The parent step's attempt: a child of an older attempt cannot end the current one. */
  @Column({ name: 'parent_attempt', type: 'int', nullable: true })
  parentAttempt?: number | null;

  /** The interpreter's frames and containers; null before the run's first decision. */
  @Column({ type: 'jsonb', nullable: true })
  state?: ControlState | null;

  /** The run this one replays (POST /v1/runs/{id}/replay, an event replay): its model answers are reused. */
  @Column({ name: 'replay_of', type: 'uuid', nullable: true })
  replayOf?: string | null;

  /** Steps of a replay that ask the model again instead of reusing the source run's answers. */
  @Column({ name: 'replay_refresh', type: 'jsonb', nullable: true })
  replayRefresh?: string[] | null;

  /** The W3C trace context the run began in (its trace id is the run's trace). */
  @Column({ type: 'text', nullable: true })
  traceparent?: string | null;
}
