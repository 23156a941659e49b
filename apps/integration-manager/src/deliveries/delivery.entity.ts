import { WorkspaceRow } from '@baton/database';
import { Column, Entity } from 'typeorm';

/** One attempt of an action task against an outside system, and the result that was published for it. */
@Entity({ name: 'deliveries' })
export class DeliveryEntity extends WorkspaceRow {
  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @Column({ type: 'int' })
  attempt!: number;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  @Column({ type: 'text', nullable: true })
  step!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  connection!: string;

  @Column({ type: 'text' })
  status!: 'delivered' | 'failed';

  @Column({ name: 'http_status', type: 'int', nullable: true })
  httpStatus!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'error_type', type: 'text', nullable: true })
  errorType!: 'validation_error' | 'system_error' | 'timeout' | null;

  @Column({ type: 'jsonb', nullable: true })
  output!: unknown;

  @Column({ name: 'result_message_id', type: 'uuid' })
  resultMessageId!: string;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
