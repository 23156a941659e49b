/** A configured connection as a connector sees it: secrets already decrypted. */
export interface ConnectionTarget {
  name: string;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

/** The task a message belongs to, so the receiver can correlate and deduplicate. */
export interface TaskReference {
  task_id: string;
  attempt: number;
  run_id?: string;
  step?: string;
}

export interface SendMessageRequest {
  connection: ConnectionTarget;
  message: unknown;
  task: TaskReference;
}

/** What happened at the outside system; errors carry a reason fit for users (no secrets, no URLs). */
export type ConnectorOutcome =
  | { status: 'completed'; httpStatus: number | null; output: unknown }
  | {
      status: 'failed';
      httpStatus: number | null;
      errorType: 'validation_error' | 'system_error';
      message: string;
    };

/** One kind of outside system. A new connector is one more implementation in this folder. */
export interface Connector {
  readonly kind: string;
  /** Throws (or rejects with) DomainError.invalid naming the offending `config.*` field. */
  validateConfig(config: Record<string, unknown>): void | Promise<void>;
  /** The built-in `send-message` action. */
  sendMessage(request: SendMessageRequest): Promise<ConnectorOutcome>;
}
