import { MessageTypes, Topics } from '@baton/contracts';
import { PermanentError } from '@baton/kafka';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { runWithContext } from '@baton/telemetry';
import { Injectable } from '@nestjs/common';
import { ExecuteActionUseCase } from './execute-action.usecase';

/** Workflow `action:` steps, one task at a time per partition (keyed by run, so a run's steps stay in order). */
@Injectable()
export class ActionTasksConsumer extends TopicConsumer {
  constructor(context: ConsumerContext, executeAction: ExecuteActionUseCase) {
    super(context, 'action-tasks', {
      group: 'actions',
      topics: [Topics.integrationTasks],
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
        context.logger.warn(
          { err: { message: (error as Error).message }, message_id: message?.envelope.id, attempt },
          'action task failed',
        ),
    });
  }
}
