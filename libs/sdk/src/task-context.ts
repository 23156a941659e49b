/** What a task handler is told about the task it runs (worker-tracing names its span with it too). */
export interface TaskContext {
  taskId: string;
  /** The id of the message that carried the task: the same on a redelivery. */
  messageId: string;
  attempt: number;
  runId?: string;
  step?: string;
  workspaceId: string;
  correlationId: string;
}
