import { Injectable } from '@nestjs/common';
import { EventManagerEnv } from '../event-manager.env';
import { Counter } from 'prom-client';
import { retentionPlans } from './retention-plan';
import { RetentionRepository } from './retention.repository';

const deletedEvents = new Counter({
  name: 'baton_event_retention_deleted_total',
  help: 'Events deleted by retention policies',
});

/** A breather between batches, so deletes never crowd out ingest on a busy store. */
const PAUSE_BETWEEN_BATCHES_MS = 20;

/**
 * Enforces every policy: batched deletes of expired events (see README,
 * "Retention": batches rather than time partitions, because policies are per
 * workspace and type and a time partition holds every workspace's events).
 */
@Injectable()
export class EnforceRetentionUseCase {
  private readonly batchSize: number;

  constructor(
    private readonly retention: RetentionRepository,
    env: EventManagerEnv,
  ) {
    this.batchSize = env.EVENT_RETENTION_BATCH_SIZE ?? 1_000;
  }

  /** Returns how many events were deleted; stops early when `keepGoing` says so. */
  async execute(keepGoing: () => boolean): Promise<number> {
    const rules = (await this.retention.all()).map((policy) => ({
      id: policy.id,
      workspaceId: policy.workspaceId,
      type: policy.type,
      maxAgeMs: Number(policy.maxAgeMs),
    }));
    let total = 0;
    for (const plan of retentionPlans(rules)) {
      for (;;) {
        if (!keepGoing()) return total;
        const deleted = await this.retention.deleteBatch(plan, this.batchSize);
        total += deleted;
        deletedEvents.inc(deleted);
        if (deleted < this.batchSize) break;
        await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_BATCHES_MS));
      }
    }
    return total;
  }
}
