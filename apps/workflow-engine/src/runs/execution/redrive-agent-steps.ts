import { UnitOfWork } from '@baton/database';
import { TopicReconciler } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { RunsRepository } from '../store/runs.repository';
import { agentTaskMessage } from './agent-task-message';

/** Tasks sent again per transaction. */
const PAGE = 500;

/**
 * When the Kafka cluster is not the one the engine wrote to (its data wiped,
 * or a new cluster), the tasks of agent steps still waiting for a result may
 * be gone with it, and so may their results. Postgres knows which steps
 * wait: each gets its current attempt sent again, with the same task id and
 * attempt, so a result of the first sending that does arrive is the one the
 * step takes and the second is ignored (a result counts once per attempt).
 */
@Injectable()
export class RedriveAgentSteps implements OnModuleInit {
  constructor(
    private readonly runs: RunsRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(TopicReconciler) private readonly reconciler: TopicReconciler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.reconciler.onNewCluster(async () => {
      const sent = await this.redrive();
      this.logger.warn({ tasks: sent }, 'agent steps in flight sent again to the new cluster');
    });
  }

  /** Sends every waiting agent step's current attempt again; returns how many. */
  async redrive(): Promise<number> {
    let sent = 0;
    for (let after = ''; ;) {
      const page = await this.runs.waitingAgentSteps(after, PAGE);
      if (page.length === 0) return sent;
      await this.uow.run(async (tx) => {
        for (const step of page) {
          tx.publish(
            agentTaskMessage(
              {
                id: step.run_id,
                workspaceId: step.workspace_id,
                correlationId: step.correlation_id,
                replayOf: step.replay_of,
                replayRefresh: step.replay_refresh,
              },
              {
                taskId: step.task_id,
                attempt: step.attempt,
                agent: step.agent,
                step: step.step_name,
                input: step.input,
              },
            ),
          );
        }
      });
      sent += page.length;
      after = page[page.length - 1].task_id;
    }
  }
}
