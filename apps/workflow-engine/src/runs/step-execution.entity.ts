import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RunError } from './run.entity';

export type StepStatus = 'running' | 'retrying' | 'completed' | 'failed' | 'skipped';

/**
 * One step of one run. The task id stays the same across attempts; a result is
 * accepted only for the current attempt, so a late answer to a timed-out
 * attempt is recorded in the log and otherwise ignored.
 */
@Entity({ name: 'step_executions' })
export class StepExecutionEntity {
  @PrimaryColumn({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'step_name', type: 'text' })
  stepName!: string;

  @Column({ name: 'step_index', type: 'int' })
  stepIndex!: number;

  @Column({ type: 'text' })
  status!: StepStatus;

  @Column({ type: 'int' })
  attempt!: number;

  @Column({ type: 'text', nullable: true })
  agent!: string | null;

  @Column({ type: 'text', nullable: true })
  action!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  input!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  output!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  error!: RunError | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
