import type { ActionTaskMessage, TaskResultMessage } from '@baton/contracts';
import type { ConnectorOutcome, ErrorType } from '../connectors/connector';
import type { DeliveryEntity } from '../deliveries/delivery.entity';

export interface DeliveryFacts {
  id: string;
  resultMessageId: string;
  workspaceId: string;
  task: ActionTaskMessage;
  connection: string;
  durationMs: number;
  at: Date;
}

export function actionFailure(errorType: ErrorType, message: string): ConnectorOutcome {
  return { status: 'failed', httpStatus: null, errorType, message };
}

/** What is recorded for one attempt: enough to publish the very same result again. */
export function toDelivery(facts: DeliveryFacts, outcome: ConnectorOutcome): DeliveryEntity {
  const failed = outcome.status === 'failed';
  return {
    id: facts.id,
    workspaceId: facts.workspaceId,
    taskId: facts.task.task_id,
    attempt: facts.task.attempt,
    runId: facts.task.run_id ?? null,
    step: facts.task.step ?? null,
    action: facts.task.action,
    connection: facts.connection,
    status: failed ? 'failed' : 'delivered',
    httpStatus: outcome.httpStatus,
    error: failed ? outcome.message : null,
    errorType: failed ? outcome.errorType : null,
    output: failed ? null : outcome.output,
    resultMessageId: facts.resultMessageId,
    durationMs: Math.max(0, Math.round(facts.durationMs)),
    createdAt: facts.at,
  };
}

/** The TaskResultMessage of a recorded delivery, identical however often it is asked for. */
export function toTaskResult(delivery: DeliveryEntity): TaskResultMessage {
  const base = {
    task_id: delivery.taskId,
    attempt: delivery.attempt,
    duration_ms: delivery.durationMs,
  };
  if (delivery.status === 'delivered')
    return { ...base, status: 'completed', output: delivery.output };
  return {
    ...base,
    status: 'failed',
    error: {
      type: delivery.errorType ?? 'system_error',
      message: delivery.error ?? 'delivery failed',
    },
  };
}
