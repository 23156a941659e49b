import { purgedWorkspaceOf, Topics } from '@baton/contracts';
import { BatonKafka, type ConsumedMessage } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type Provider, type Type } from '@nestjs/common';
import type { Logger } from 'pino';
import { Readiness } from '../readiness';
import { TopicConsumer } from '../topic-consumer';
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
export class WorkspacePurgeConsumer extends TopicConsumer {
  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) readiness: Readiness,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_NAME) service: string,
    @Inject(WORKSPACE_PURGER) private readonly purger: WorkspacePurger,
  ) {
    super(kafka, readiness, 'workspace-purge', {
      groupId: `baton-${service}-workspace-purge`,
      topics: [Topics.securityEvents],
      dlqTopic: Topics.dlq(service),
      fromBeginning: true,
      // A big workspace takes a while; batches commit as they go, so a retry resumes. The
      // consumer renews its session while a handler runs (it does when there is a handler
      // timeout), so the session stays the default 10 s: it is also how long a restarted
      // service waits in the group for its killed predecessor, and a 60 s session here kept
      // every service not ready for about a minute after a kill -9.
      handlerTimeoutMs: 600_000,
      handle: (message) => this.handle(message),
    });
  }

  private async handle(message: ConsumedMessage): Promise<void> {
    const workspaceId = purgedWorkspaceOf(message.envelope);
    if (!workspaceId) return;
    const result = await this.purger.execute(workspaceId);
    this.logger.info({ workspace_id: workspaceId, ...result }, 'workspace purged');
  }
}

/**
 * A service's workspace-purge providers: its purge use case (with what it
 * needs, its repository) as the WORKSPACE_PURGER, and the consumer that runs it.
 */
export function workspacePurgeProviders(
  purger: Type<WorkspacePurger>,
  ...needs: Provider[]
): Provider[] {
  return [
    ...needs,
    purger,
    { provide: WORKSPACE_PURGER, useExisting: purger },
    WorkspacePurgeConsumer,
  ];
}
