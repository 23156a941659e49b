import { MessageTypes, Topics } from '@baton/contracts';
import { BatonKafka, PermanentError } from '@baton/kafka';
import { Readiness, TopicConsumer } from '@baton/service-kit';
import { LOGGER, runWithContext } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ExecuteActionUseCase } from './execute-action.usecase';

/** Workflow `action:` steps, one task at a time per partition (keyed by run, so a run's steps stay in order). */
@Injectable()
export class ActionTasksConsumer extends TopicConsumer {
  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(Readiness) readiness: Readiness,
    executeAction: ExecuteActionUseCase,
  ) {
    super(kafka, readiness, 'action-tasks', {
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
}
