import type { TopicSpec } from '@baton/kafka';
import { TopicReconciler } from '@baton/service-kit';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { USER_TOPIC_PARTITIONS } from './destination-checks';
import { DestinationTopicsRepository } from './destination-topics.repository';

/**
 * The topics event-manager created as subscription and route destinations:
 * the TopicReconciler creates them again whenever the cluster lacks them, so
 * a wiped broker does not turn every delivery to them into a failure.
 */
@Injectable()
export class DestinationTopics implements OnModuleInit {
  constructor(
    private readonly destinations: DestinationTopicsRepository,
    @Inject(TopicReconciler) private readonly reconciler: TopicReconciler,
  ) {}

  onModuleInit(): void {
    this.reconciler.addSource('destination topics', () => this.desired());
  }

  async desired(): Promise<TopicSpec[]> {
    const topics = await this.destinations.topics();
    return topics.map((topic) => ({ topic, partitions: USER_TOPIC_PARTITIONS }));
  }
}
