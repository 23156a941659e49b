import { BatonKafka } from '@baton/kafka';
import { AGENT_TASK_TOPIC_PREFIX } from '@baton/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { WorkspaceRowsPurger } from '@baton/service-kit';

/**
 * A purged workspace's data goes from agent-manager: every row of it and its agents' task topics (baton.agent.tasks.<workspace>.*).
 * security-manager already refuses its credentials (it was deleted first);
 * this is the "data kept until a purge" part. Idempotent: a redelivered
 * purge finds nothing left.
 */
@Injectable()
export class PurgeWorkspaceUseCase {
  constructor(
    private readonly rows: WorkspaceRowsPurger,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
  ) {}

  async execute(
    workspaceId: string,
  ): Promise<{ rows: Record<string, number>; topics_deleted?: number }> {
    const rows = await this.rows.deleteRows(workspaceId);
    // After the rows: with no agent left, nothing recreates the topics (AgentTaskTopics).
    const prefix = `${AGENT_TASK_TOPIC_PREFIX}${workspaceId}.`;
    const topics = (await this.kafka.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await this.kafka.deleteTopics(topics);
    return { rows, topics_deleted: topics.length };
  }
}
