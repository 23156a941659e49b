import {
  AgentTaskMessageTypes,
  DomainError,
  SubmitTaskCommand,
  TaskIdQuery,
  type TaskView,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { CreateTaskUseCase } from './create-task.usecase';
import { toTaskView } from './task.view';
import { TasksRepository } from '../task-model/tasks.repository';

/** Fire-and-forget submissions and task lookups: quick commands on baton.agent.commands. */
@Injectable()
export class TaskCommands extends CommandHandlers {
  constructor(
    private readonly createTask: CreateTaskUseCase,
    private readonly tasks: TasksRepository,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(AgentTaskMessageTypes.submit, SubmitTaskCommand, async (command, envelope) => {
        const { task, created } = await this.createTask.execute({
          workspaceId: envelope.workspaceid,
          agent: command.name,
          input: command.input,
          origin: 'submit',
          callbackUrl: command.callback_url,
          idempotencyKey: command.idempotency_key,
          // The request id makes a redelivered command create nothing new.
          id: command.idempotency_key ? undefined : envelope.id,
          cause: envelope,
        });
        return { created, task: toTaskView(task) };
      })
      .handle(
        AgentTaskMessageTypes.taskGet,
        TaskIdQuery,
        async (query, envelope): Promise<TaskView> => {
          const task = await this.tasks.findInWorkspace(envelope.workspaceid, query.task_id);
          if (!task) throw DomainError.notFound('task', query.task_id);
          return toTaskView(task);
        },
      );
  }
}
