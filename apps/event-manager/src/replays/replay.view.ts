import type { ReplayView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { DeliveriesRepository } from '../routing/deliveries.repository';
import type { ReplayEntity } from './replay.entity';

@Injectable()
export class ReplayViews {
  constructor(private readonly deliveries: DeliveriesRepository) {}

  async of(replay: ReplayEntity): Promise<ReplayView> {
    const counts = await this.deliveries.countsOfReplay(replay.id);
    return {
      id: replay.id,
      status: replay.status,
      filter: replay.filter,
      target: replay.target,
      rate_limit: replay.rateLimit,
      dry_run: replay.dryRun,
      total: replay.total === null ? null : Number(replay.total),
      processed: Number(replay.processed),
      deliveries: {
        created: Number(replay.deliveriesCreated),
        pending: counts.pending ?? 0,
        delivered: counts.delivered ?? 0,
        dead: counts.dead ?? 0,
      },
      published: Number(replay.published),
      error: replay.error,
      created_at: replay.createdAt.toISOString(),
      finished_at: replay.finishedAt?.toISOString() ?? null,
    };
  }
}
