import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One event as the store received it; written only by the bulk insert of the store consumer. */
@Entity({ name: 'events' })
export class StoredEventEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'timestamptz' })
  time!: Date;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  @Column({ name: 'causation_id', type: 'text', nullable: true })
  causationId!: string | null;

  /** The whole envelope, extension attributes included, as replay will republish it. */
  @Column({ type: 'jsonb' })
  envelope!: Record<string, unknown>;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'int' })
  partition!: number;

  /** bigint: pg hands it over as a string, which is also how Kafka offsets travel. */
  @Column({ type: 'bigint' })
  offset!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  /** Arrival order in the store: listing, replay and retention follow it. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;
}
