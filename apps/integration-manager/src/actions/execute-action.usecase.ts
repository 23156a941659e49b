import {
  ActionTaskMessage,
  createEnvelope,
  DomainError,
  MessageTypes,
  Topics,
  validateInto,
  type Envelope,
  type TaskResultMessage,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import type { OutgoingMessage } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { ConnectionSecrets } from '../connections/connection-secrets';
import { ConnectionsRepository } from '../connections/connections.repository';
import { OperationError, type ConnectorOutcome } from '../connectors/connector';
import { connectionTarget, ConnectorRegistry } from '../connectors/connector-registry';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { DeliveryEntity } from '../deliveries/delivery.entity';
import { actionFailure, toDelivery, toTaskResult } from './action-result';
import { withActionSpan } from './action-tracing';

export const SEND_MESSAGE = 'send-message';
export const DEFAULT_CONNECTION = 'default';

/**
 * Runs one attempt of a workflow `action:` step and answers with a TaskResultMessage.
 *
 * The delivery record and the result are written in one transaction, so a
 * result is published exactly when its delivery is recorded. A redelivered
 * task finds its record and gets the same result again without a second call
 * out. (A crash between the call and the commit does call out again: receivers
 * deduplicate on x-baton-task-id.)
 */
@Injectable()
export class ExecuteActionUseCase {
  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly connectors: ConnectorRegistry,
    private readonly secrets: ConnectionSecrets,
    private readonly uow: UnitOfWork,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(envelope: Envelope): Promise<void> {
    const task = validateInto(ActionTaskMessage, envelope.data, 'action task');
    const recorded = await this.deliveries.findByTask(task.task_id, task.attempt);
    if (recorded) {
      this.logger.info(
        { task_id: task.task_id, attempt: task.attempt },
        'action already delivered; result published again',
      );
      await this.uow.run(async (tx) => tx.publish(resultMessage(recorded, envelope)));
      return;
    }
    const connection =
      actionTarget(task.action, task.connection ?? DEFAULT_CONNECTION)?.connection ??
      task.connection ??
      DEFAULT_CONNECTION;
    const started = performance.now();
    const outcome = await withActionSpan(envelope.workspaceid, task, connection, () =>
      this.perform(envelope.workspaceid, task, connection),
    );
    const delivery = Object.assign(
      new DeliveryEntity(),
      toDelivery(
        {
          id: randomUUID(),
          resultMessageId: randomUUID(),
          workspaceId: envelope.workspaceid,
          task,
          connection,
          durationMs: performance.now() - started,
          at: new Date(),
        },
        outcome,
      ),
    );
    const published = await this.uow.run(async (tx) => {
      if (!(await this.deliveries.insert(tx.manager, delivery))) return false;
      tx.publish(resultMessage(delivery, envelope));
      return true;
    });
    this.logger.info(
      {
        task_id: task.task_id,
        attempt: task.attempt,
        action: task.action,
        connection,
        status: delivery.status,
        http_status: delivery.httpStatus,
        duration_ms: delivery.durationMs,
        ...(delivery.error ? { reason: delivery.error } : {}),
        ...(published ? {} : { duplicate: true }),
      },
      !published
        ? 'action recorded concurrently; this attempt dropped'
        : delivery.status === 'delivered'
          ? 'action delivered'
          : 'action failed',
    );
  }

  /**
   * `send-message` (on the step's connection, `default` unless named) or
   * `<connection>.<operation>`: the connection of the run's workspace, the
   * operation's input checked, then the call through the connection's
   * breaker, rate limit, bulkhead and timeout.
   */
  private async perform(
    workspaceId: string,
    task: ActionTaskMessage,
    defaultConnection: string,
  ): Promise<ConnectorOutcome> {
    const target = actionTarget(task.action, defaultConnection);
    if (!target) {
      return actionFailure(
        'validation_error',
        `unknown action '${task.action}': use send-message or <connection>.<operation>`,
      );
    }
    const { connection: name, operation: operationName } = target;
    const connection = await this.connections.find(workspaceId, name);
    if (!connection) {
      return actionFailure(
        'validation_error',
        task.action === SEND_MESSAGE
          ? `no connection '${name}' is configured for ${SEND_MESSAGE}`
          : `no connection '${name}' is configured in this workspace`,
      );
    }
    const connector = this.connectors.get(connection.connector);
    if (!connector)
      return actionFailure('system_error', `connector '${connection.connector}' is not available`);
    const secrets = this.secrets.open(connection);
    if (!secrets) {
      return actionFailure(
        'system_error',
        `the secrets of connection '${name}' cannot be decrypted: the platform no longer has the key that sealed them; store them again`,
      );
    }
    const targetConnection = connectionTarget(connection, secrets);
    try {
      // send-message passes its message as it is; operations take an object (absent = {}).
      const input = (task.input ?? (operationName === SEND_MESSAGE ? null : {})) as Record<
        string,
        unknown
      >;
      const operation = await this.connectors.checkedOperation(
        connector,
        operationName,
        connection,
        targetConnection,
        input,
      );
      const result = await this.connectors
        .runtime(connection)
        .call(operation, targetConnection, input, task);
      return { status: 'completed', httpStatus: result.httpStatus ?? null, output: result.output };
    } catch (error) {
      if (error instanceof OperationError) {
        return {
          status: 'failed',
          httpStatus: error.httpStatus,
          errorType: error.type,
          message: error.message,
        };
      }
      if (error instanceof DomainError) return actionFailure('system_error', error.detail);
      this.logger.error(
        { task_id: task.task_id, err: { message: (error as Error).message } },
        'connector failed',
      );
      return actionFailure('system_error', `connector '${connector.kind}' failed unexpectedly`);
    }
  }
}

/**
 * Which connection and operation an action names: `send-message` is the
 * webhook operation on the step's connection; `crm.request` is operation
 * `request` of connection `crm` (connection names have no dots).
 */
export function actionTarget(
  action: string,
  defaultConnection: string,
): { connection: string; operation: string } | undefined {
  if (action === SEND_MESSAGE) return { connection: defaultConnection, operation: SEND_MESSAGE };
  const dot = action.indexOf('.');
  if (dot <= 0 || dot === action.length - 1) return undefined;
  return { connection: action.slice(0, dot), operation: action.slice(dot + 1) };
}

/** Keyed by run (or task) so that one run's results stay in order; the id is fixed at record time. */
function resultMessage(delivery: DeliveryEntity, cause: Envelope): OutgoingMessage {
  return {
    topic: Topics.integrationEvents,
    key: delivery.runId ?? delivery.taskId,
    envelope: createEnvelope<TaskResultMessage>({
      id: delivery.resultMessageId,
      type: MessageTypes.actionResult,
      source: 'integration-manager',
      subject: delivery.runId ?? undefined,
      workspaceId: delivery.workspaceId,
      causedBy: cause,
      data: toTaskResult(delivery),
    }),
  };
}
