import { purgedWorkspaceOf, Topics } from '@baton/contracts';
import { BatonKafka, MessageConsumer, type ConsumedMessage } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { Readiness } from '../readiness';
import { SERVICE_NAME } from '../service-kit.module';

/** What a service deletes when a workspace is purged; answers what it deleted, for the log. */
export interface WorkspacePurger {
  execute(workspaceId: string): Promise<Record<string, unknown>>;
}

/** The provider token of a service's WorkspacePurger (its purge use case). */
export const WORKSPACE_PURGER = Symbol.for('baton.workspace-purger');

/**
 * Reads baton.security.events, where security-manager announces that a
 * workspace was purged (its own audited call, after the workspace was
 * deleted), and has the service's purger delete that workspace's data. From
 * the beginning of the topic, so a purge announced while the service was
 * down is done when it comes back; other lifecycle messages are ignored.
 * Every service that keeps workspace data runs one, in its own group.
 */
@Injectable()
export class WorkspacePurgeConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly consumer: MessageConsumer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_NAME) service: string,
    @Inject(WORKSPACE_PURGER) private readonly purger: WorkspacePurger,
  ) {
    this.consumer = new MessageConsumer(kafka, {
      groupId: `baton-${service}-workspace-purge`,
      topics: [Topics.securityEvents],
      dlqTopic: Topics.dlq(service),
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
    const result = await this.purger.execute(workspaceId);
    this.logger.info({ workspace_id: workspaceId, ...result }, 'workspace purged');
  }
}
