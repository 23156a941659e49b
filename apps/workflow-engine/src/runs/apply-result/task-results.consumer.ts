import { Topics } from '@baton/contracts';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { ApplyTaskResultUseCase } from './apply-task-result.usecase';

/**
 * Results of agent tasks and connector actions, keyed by run. Workers answer
 * on baton.workflow.results, which the engine's tasks name; results of
 * agents that agent-manager runs itself, and of workers that predate the
 * header, come on baton.agent.results; connectors answer on
 * baton.integration.events. Each result is applied to the task it names, so
 * the order across topics does not matter.
 */
@Injectable()
export class TaskResultsConsumer extends TopicConsumer {
  constructor(context: ConsumerContext, applyResult: ApplyTaskResultUseCase) {
    super(context, 'task-results', {
      group: 'results',
      topics: [Topics.workflowResults, Topics.agentResults, Topics.integrationEvents],
      partitionsConsumedConcurrently: 4,
      // A fetched batch is applied in one transaction (several steps' decisions per commit).
      handleBatch: (messages) =>
        applyResult.executeBatch(
          messages.map(({ envelope, traceparent, topic }) => ({ envelope, traceparent, topic })),
        ),
    });
  }
}
