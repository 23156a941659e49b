/** A configured connection as a connector sees it: secrets already decrypted. */
export interface ConnectionTarget {
  /** `<workspace>/<name>`: unique across workspaces, the key of pools, breakers and token caches. */
  key: string;
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

export type ErrorType = 'validation_error' | 'system_error' | 'timeout';

/** What happened at the outside system; errors carry a reason fit for users (no secrets, no URLs). */
export type ConnectorOutcome =
  | { status: 'completed'; httpStatus: number | null; output: unknown }
  | {
      status: 'failed';
      httpStatus: number | null;
      errorType: ErrorType;
      message: string;
    };

/**
 * A failed operation, typed as workflow retry policies and error handlers
 * see it: `validation_error` (the caller's fault: a 4xx, a constraint, bad
 * input; retrying cannot help and the breaker does not count it),
 * `system_error` (the target's fault), `timeout`. `retryAfterMs` is a
 * target's 429/503 Retry-After, honoured by the connection's rate limiter.
 */
export class OperationError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly httpStatus: number | null = null,
    readonly retryAfterMs?: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'OperationError';
  }
}

/**
 * Runs `work` until the call's deadline: a client library that cannot be
 * cancelled (kafkajs, nodemailer) is raced against the signal, so the step
 * fails as a timeout on time. Anything `work` throws that is not an
 * OperationError goes through `typed`, the connector's own error mapping.
 */
export async function withinDeadline<T>(
  signal: AbortSignal,
  what: string,
  work: () => Promise<T>,
  typed: (error: unknown) => OperationError,
): Promise<T> {
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new OperationError('timeout', `${what} did not answer in time`));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(), aborted]);
  } catch (error) {
    if (error instanceof OperationError) throw error;
    throw typed(error);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

export interface OperationResult {
  output: unknown;
  httpStatus?: number | null;
}

/** What an operation gets besides its input. */
export interface OperationContext {
  connection: ConnectionTarget;
  task?: TaskReference;
  /** Aborted when the connection's timeout passes: pass it to every I/O. */
  signal: AbortSignal;
  timeoutMs: number;
}

export type JsonSchema = Record<string, unknown>;

export interface Operation {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of `input:` (validated before the call; failures are validation_error naming input.*). */
  readonly inputSchema: JsonSchema;
  /** Whether calling twice has the effect of calling once: only then are calls retried. */
  idempotent(input: Record<string, unknown>, connection: ConnectionTarget): boolean;
  /** When `idempotent` depends on the input, says on what (shown by GET /v1/connectors). */
  readonly idempotentWhen?: string;
  /** openapi and packs: the HTTP request the operation is (shown by GET /v1/connections/{name}/operations). */
  readonly http?: { method: string; path: string };
  /** Checks beyond the schema (e.g. SQL with literals); throws OperationError('validation_error', …, field). */
  check?(input: Record<string, unknown>, connection: ConnectionTarget): void;
  execute(context: OperationContext, input: Record<string, unknown>): Promise<OperationResult>;
}

/**
 * One kind of outside system. A new connector is one more implementation in
 * this folder, added to ConnectorRegistry: config schema, secret fields,
 * operations, a probe. Breakers, rate limits, timeouts, retries, bulkheads
 * and metrics are the ConnectionRuntime's, the same for every connector.
 */
export interface Connector {
  readonly kind: string;
  readonly description: string;
  /** JSON Schema of `config` (without `resilience`, which every connector shares). */
  readonly configSchema: JsonSchema;
  /** Names of the secrets it reads (sealed at rest, never returned), and which are required. */
  readonly secretFields: readonly { name: string; required?: boolean; description: string }[];
  readonly operations: ReadonlyMap<string, Operation>;
  /**
   * Operations that depend on the connection (openapi: one per operationId of
   * its document), instead of `operations`; `version` changes whenever the
   * connection is saved, so a connector may cache per version.
   */
  operationsOf?(
    connection: ConnectionTarget,
    version: number,
  ): Promise<ReadonlyMap<string, Operation>>;
  /** Enterprise packs: what they are built on and whose API they call (shown by GET /v1/connectors). */
  readonly pack?: { based_on: string; vendor: string; api: string; docs: string };
  /**
   * Checks beyond the schema when a connection is created or changed (an
   * internal target the operator has not allowed, a missing secret for the
   * chosen auth). Throws DomainError.invalid naming `config.*` / `secrets.*`.
   */
  validateConfig?(config: Record<string, unknown>, secrets: Record<string, string>): Promise<void>;
  /** A real, harmless round trip to the target (connect, `SELECT 1`, a GET). */
  probe(context: OperationContext): Promise<Record<string, unknown>>;
  /** Releases what a connection holds (pools, cached tokens) when it changes or is deleted. */
  release?(key: string): Promise<void>;
  close?(): Promise<void>;
}
