import { purgedWorkspaceOf, Topics } from '@baton/contracts';
import { BatonKafka, MessageConsumer, type ConsumedMessage } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { PurgeWorkspaceUseCase } from './purge-workspace.usecase';

/**
 * Reads baton.security.events, where security-manager announces that a
 * workspace was purged (its own audited call, after the workspace was
 * deleted), and deletes that workspace's data here. From the beginning of
 * the topic, so a purge announced while this service was down is done when
 * it comes back; other lifecycle messages are ignored.
 */
@Injectable()
export class WorkspacePurgeConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly consumer: MessageConsumer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly purge: PurgeWorkspaceUseCase,
  ) {
    this.consumer = new MessageConsumer(kafka, {
      groupId: 'baton-workflow-engine-workspace-purge',
      topics: [Topics.securityEvents],
      dlqTopic: Topics.dlq('workflow-engine'),
      fromBeginning: true,
      // A big workspace takes a while; batches commit as they go, so a retry resumes.
      handlerTimeoutMs: 0,
      sessionTimeoutMs: 60_000,
      handle: (message) => this.handle(message),
    });
  }

  async onModuleInit(): Promise<void> {
    this.readiness.registerConsumer('workspace-purge', this.consumer);
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  private async handle(message: ConsumedMessage): Promise<void> {
    const workspaceId = purgedWorkspaceOf(message.envelope);
    if (!workspaceId) return;
    const result = await this.purge.execute(workspaceId);
    this.logger.info({ workspace_id: workspaceId, ...result }, 'workspace purged');
  }
}
