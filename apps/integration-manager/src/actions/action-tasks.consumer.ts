import { MessageTypes, Topics } from '@baton/contracts';
import { BatonKafka, MessageConsumer, PermanentError } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { LOGGER, runWithContext } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { ExecuteActionUseCase } from './execute-action.usecase';

/** Workflow `action:` steps, one task at a time per partition (keyed by run, so a run's steps stay in order). */
@Injectable()
export class ActionTasksConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly consumer: MessageConsumer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(Readiness) private readonly readiness: Readiness,
    executeAction: ExecuteActionUseCase,
  ) {
    this.consumer = new MessageConsumer(kafka, {
      groupId: 'baton-integration-manager-actions',
      topics: [Topics.integrationTasks],
      dlqTopic: Topics.dlq('integration-manager'),
      partitionsConsumedConcurrently: 3,
      handle: async ({ envelope }) => {
        if (envelope.type !== MessageTypes.actionTask) {
          throw new PermanentError(
            `unexpected message type '${envelope.type}' on ${Topics.integrationTasks}`,
          );
        }
        await runWithContext(
          { workspaceId: envelope.workspaceid, correlationId: envelope.correlationid },
          () => executeAction.execute(envelope),
        );
      },
      onError: (error, message, attempt) =>
        logger.warn(
          { err: { message: (error as Error).message }, message_id: message?.envelope.id, attempt },
          'action task failed',
        ),
    });
  }

  async onModuleInit(): Promise<void> {
    this.readiness.registerConsumer('action-tasks', this.consumer);
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }
}
