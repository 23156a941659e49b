import { A2AError, type A2ARequestHandler } from '@a2a-js/sdk/server';
import type { AgentCard, Message, MessageSendParams, Task, TaskQueryParams } from '@a2a-js/sdk';
import {
  AgentTaskMessageTypes,
  DomainError,
  ErrorCodes,
  InvokeAgentCommand,
  TaskIdQuery,
  Topics,
  validateInto,
  type TaskView,
} from '@baton/contracts';
import { randomUUID } from 'node:crypto';
import { callerMay, type Caller } from '../auth/caller';
import { invokeAgent } from '../platform/invoke-agent';
import type { PlatformClient } from '../platform/platform-client';
import { completedTask, failedTask, inputOf, taskOf } from './a2a-messages';

/**
 * A2A for one Baton agent, answering one caller: `message/send` invokes the
 * agent (blocking: the answer is the finished task), `tasks/get` reads a task
 * of the agent. The same commands, permissions and workspace as
 * `POST /v1/agents/{name}/invoke` and `GET /v1/tasks/{id}`; the rest of the
 * protocol (streaming, cancel, push notifications) is refused as unsupported.
 */
export class BatonA2aHandler implements A2ARequestHandler {
  constructor(
    private readonly platform: PlatformClient,
    private readonly caller: Caller,
    private readonly card: AgentCard,
  ) {}

  getAgentCard(): Promise<AgentCard> {
    return Promise.resolve(this.card);
  }

  getAuthenticatedExtendedAgentCard(): Promise<AgentCard> {
    return Promise.reject(A2AError.authenticatedExtendedCardNotConfigured());
  }

  async sendMessage(params: MessageSendParams): Promise<Message | Task> {
    this.require('agents:invoke');
    const contextId = params.message.contextId ?? randomUUID();
    let command: InvokeAgentCommand;
    try {
      command = validateInto(InvokeAgentCommand, {
        name: this.card.name,
        input: inputOf(params.message),
      });
    } catch (error) {
      throw A2AError.invalidParams((error as Error).message);
    }
    try {
      const result = await invokeAgent(this.platform, command, this.caller);
      return completedTask(result.task_id, contextId, result.output);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.category === ErrorCodes.notFound) throw A2AError.invalidParams(error.detail);
      // The agent failed or timed out: a failed task, as A2A reports it.
      return failedTask(randomUUID(), contextId, error.detail);
    }
  }

  async getTask(params: TaskQueryParams): Promise<Task> {
    this.require('runs:read');
    let query: TaskIdQuery;
    try {
      query = validateInto(TaskIdQuery, { task_id: params.id }, 'params');
    } catch {
      throw A2AError.taskNotFound(params.id);
    }
    try {
      const task = await this.platform.send<TaskView>(
        Topics.agentCommands,
        AgentTaskMessageTypes.taskGet,
        query,
        this.caller,
        params.id,
      );
      // Tasks of other agents of the workspace are not this endpoint's.
      if (task.agent !== this.card.name) throw A2AError.taskNotFound(params.id);
      return taskOf(task);
    } catch (error) {
      if (error instanceof DomainError && error.category === ErrorCodes.notFound) {
        throw A2AError.taskNotFound(params.id);
      }
      throw error;
    }
  }

  sendMessageStream(): AsyncGenerator<never, void, undefined> {
    return unsupported('message/stream');
  }

  resubscribe(): AsyncGenerator<never, void, undefined> {
    return unsupported('tasks/resubscribe');
  }

  cancelTask(): Promise<Task> {
    return Promise.reject(A2AError.unsupportedOperation('tasks/cancel'));
  }

  setTaskPushNotificationConfig(): Promise<never> {
    return Promise.reject(A2AError.pushNotificationNotSupported());
  }

  getTaskPushNotificationConfig(): Promise<never> {
    return Promise.reject(A2AError.pushNotificationNotSupported());
  }

  listTaskPushNotificationConfigs(): Promise<never> {
    return Promise.reject(A2AError.pushNotificationNotSupported());
  }

  deleteTaskPushNotificationConfig(): Promise<void> {
    return Promise.reject(A2AError.pushNotificationNotSupported());
  }

  private require(permission: 'agents:invoke' | 'runs:read'): void {
    if (!callerMay(this.caller, permission)) {
      throw new A2AError(-32001, `the credential lacks the permission ${permission}`, {
        permission,
      });
    }
  }
}

// eslint-disable-next-line require-yield
async function* unsupported(operation: string): AsyncGenerator<never, void, undefined> {
  throw A2AError.unsupportedOperation(operation);
}
