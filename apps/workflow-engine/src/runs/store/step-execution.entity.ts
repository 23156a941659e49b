import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RunError } from './run.entity';
import type { StepStatus } from '../../interpreter';

export type { StepStatus } from '../../interpreter';

/** Interpreter details kept with the row (see StepRecord). */
export interface StepMeta {
  parked_by?: { kind: 'escalate' } | { kind: 'workflow'; workflow: string };
  waiting_for?: { type: string; correlation: string | null };
}

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

  /** The step's position in the run: `classify`, `fan-out[1].fetch`, `each[3].charge`, `poll#2`. */
  @Column({ type: 'text' })
  path!: string;

  @Column({ type: 'text' })
  kind!: string;

  /** The step list instance (frame) the step ran in; '' is the workflow's own list. */
  @Column({ type: 'text', default: '' })
  frame!: string;

  /** For a sub-workflow step: the workflow it runs. */
  @Column({ type: 'text', nullable: true })
  workflow!: string | null;

  /** Creation order within the run. */
  @Column({ type: 'int', default: 0 })
  seq!: number;

  @Column({ type: 'jsonb', nullable: true })
  meta!: StepMeta | null;

  /** Not a column: the latest child run of a sub-workflow step, filled in for views. */
  childRunId?: string | null;
}
