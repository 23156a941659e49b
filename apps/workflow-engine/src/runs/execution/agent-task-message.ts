import {
  createEnvelope,
  Headers,
  MessageTypes,
  Topics,
  type AgentTaskMessage,
  type Envelope,
} from '@baton/contracts';
import type { OutgoingMessage } from '@baton/kafka';

/** What the engine knows of the run a task belongs to. */
export interface TaskRun {
  id: string;
  workspaceId: string;
  correlationId: string;
  /** Set on a replay: the run whose recorded model answers the tasks reuse, and the steps that must not. */
  replayOf?: string | null;
  replayRefresh?: string[] | null;
}

/** One attempt of an agent step. */
export interface AgentStepAttempt {
  taskId: string;
  attempt: number;
  agent: string;
  step: string;
  input: unknown;
  /** Epoch ms after which the engine no longer waits (the step's timeout). */
  deadline?: number;
}

/** The message that hands one attempt of an agent step to the agent's task topic. */
export function agentTaskMessage(
  run: TaskRun,
  task: AgentStepAttempt,
  cause?: Envelope,
): OutgoingMessage {
  return {
    topic: Topics.agentTasks(run.workspaceId, task.agent),
    key: task.taskId,
    // Workers answer the engine on its own topic (a worker that ignores the
    // header answers on baton.agent.results, which the engine reads as well).
    headers: { [Headers.replyTo]: Topics.workflowResults },
    envelope: createEnvelope<AgentTaskMessage>({
      source: 'workflow-engine',
      subject: run.id,
      workspaceId: run.workspaceId,
      correlationId: run.correlationId,
      causedBy: cause,
      type: MessageTypes.agentTask,
      data: {
        task_id: task.taskId,
        agent: task.agent,
        attempt: task.attempt,
        input: task.input ?? undefined,
        run_id: run.id,
        step: task.step,
        ...(task.deadline ? { deadline: task.deadline } : {}),
        ...(run.replayOf
          ? {
              replay_of: run.replayOf,
              ...(run.replayRefresh ? { refresh: run.replayRefresh } : {}),
            }
          : {}),
      },
    }),
  };
}
