import { WorkspaceRow } from '@baton/database';
import { Column, Entity } from 'typeorm';
import type { Destination } from './destination';

@Entity({ name: 'subscriptions' })
export class SubscriptionEntity extends WorkspaceRow {
  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', array: true })
  events!: string[];

  @Column({ type: 'text', nullable: true })
  filter!: string | null;

  @Column({ type: 'jsonb' })
  destination!: Destination;

  /** Signs webhook deliveries; answered once, at creation. */
  @Column({ type: 'text', nullable: true })
  secret!: string | null;

  @Column({ type: 'text' })
  status!: 'active' | 'paused';

  @Column({ name: 'max_attempts', type: 'int' })
  maxAttempts!: number;

  @Column({ name: 'initial_delay_ms', type: 'int' })
  initialDelayMs!: number;

  @Column({ name: 'max_delay_ms', type: 'int' })
  maxDelayMs!: number;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  /** Counters kept by the dispatcher in the transaction that records each outcome. */
  @Column({ name: 'delivered_count', type: 'bigint', default: 0 })
  deliveredCount!: string;

  @Column({ name: 'failure_count', type: 'bigint', default: 0 })
  failureCount!: string;

  @Column({ name: 'dead_count', type: 'bigint', default: 0 })
  deadCount!: string;

  @Column({ name: 'last_delivery_at', type: 'timestamptz', nullable: true })
  lastDeliveryAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true })
  lastErrorAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
