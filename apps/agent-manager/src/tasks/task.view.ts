import type { TaskView } from '@baton/contracts';
import type { TaskEntity } from '../task-model/task.entity';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toTaskView(task: TaskEntity): TaskView {
  return {
    id: task.id,
    agent: task.agent,
    agent_version: task.agentVersion,
    origin: task.origin,
    status: task.status,
    attempt: task.attempt,
    input: task.input ?? null,
    output: task.output ?? null,
    error: task.error ?? null,
    callback: task.callbackUrl
      ? {
          url: task.callbackUrl,
          status: task.callbackStatus ?? 'pending',
          attempts: task.callbackAttempts,
          last_error: task.callbackLastError,
          last_attempt_at: iso(task.callbackLastAttemptAt),
          next_attempt_at:
            task.callbackStatus === 'pending' || task.callbackStatus === 'retrying'
              ? iso(task.callbackNextAt)
              : null,
          delivered_at: iso(task.callbackDeliveredAt),
        }
      : null,
    created_at: task.createdAt.toISOString(),
    finished_at: iso(task.finishedAt),
    duration_ms: task.durationMs,
  };
}
