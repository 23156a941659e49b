import type { TopicSpec } from '@baton/kafka';
import { TopicReconciler } from '@baton/service-kit';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { USER_TOPIC_PARTITIONS } from './destination-checks';

/**
 * The topics event-manager created as subscription and route destinations:
 * the TopicReconciler creates them again whenever the cluster lacks them, so
 * a wiped broker does not turn every delivery to them into a failure.
 */
@Injectable()
export class DestinationTopics implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(TopicReconciler) private readonly reconciler: TopicReconciler,
  ) {}

  onModuleInit(): void {
    this.reconciler.addSource('destination topics', () => this.desired());
  }

  async desired(): Promise<TopicSpec[]> {
    const rows = (await this.dataSource.query(
      `SELECT destination->>'topic' AS topic FROM subscriptions WHERE destination->>'kind' = 'topic'
       UNION
       SELECT d->>'topic' FROM routes, jsonb_array_elements(destinations) d WHERE d->>'kind' = 'topic'`,
    )) as { topic: string | null }[];
    return rows
      .filter((row): row is { topic: string } => typeof row.topic === 'string')
      .map((row) => ({ topic: row.topic, partitions: USER_TOPIC_PARTITIONS }));
  }
}
