import { WorkspaceRow } from '@baton/database';
import type { ReplayFilterDto, ReplayTargetDto } from '@baton/contracts';
import { Column, Entity } from 'typeorm';

/** A replay and its cursor: the last event (by store order) it has handled. */
@Entity({ name: 'replays' })
export class ReplayEntity extends WorkspaceRow {
  @Column({ type: 'jsonb' })
  filter!: ReplayFilterDto;

  @Column({ type: 'jsonb' })
  target!: ReplayTargetDto;

  @Column({ name: 'rate_limit', type: 'int', nullable: true })
  rateLimit!: number | null;

  @Column({ name: 'dry_run', type: 'boolean' })
  dryRun!: boolean;

  @Column({ type: 'text' })
  status!: 'running' | 'completed' | 'cancelled' | 'failed';

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** events.seq of the last event handled; bigint arrives as a string. */
  @Column({ type: 'bigint' })
  cursor!: string;

  /** The store's last seq when the replay was created: events stored later are not replayed. */
  @Column({ name: 'upper_seq', type: 'bigint' })
  upperSeq!: string;

  @Column({ type: 'bigint', nullable: true })
  total!: string | null;

  @Column({ type: 'bigint' })
  processed!: string;

  @Column({ name: 'deliveries_created', type: 'bigint' })
  deliveriesCreated!: string;

  @Column({ type: 'bigint' })
  published!: string;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
