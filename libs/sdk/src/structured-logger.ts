import { LOG_LIMITS, type LogLevel, type LogRecordInput } from '@baton/contracts';
import pino, { type Logger } from 'pino';
import type { LogShipper } from './log-shipper';

type Fields = Record<string, unknown>;

/** Fields that become the record's own columns, searchable with GET /v1/logs?run_id=... */
const ID_FIELDS = ['agent_id', 'run_id', 'step', 'task_id', 'request_id', 'trace_id'] as const;

/** What a worker's handler knows of its task (the AgentWorker's TaskContext fits). */
export interface TaskLogContext {
  taskId?: string;
  runId?: string;
  step?: string;
  correlationId?: string;
}

/**
 * The seed's `orchestrate.logger.info('Agent invoked', { agent_id, request_id })`:
 * message first, then fields, written as one JSON line by pino and, when the
 * logger belongs to an OrchestratePlatform, shipped to the platform in the
 * background (GET /v1/logs finds it by agent_id, run_id, request_id, ...).
 */
export class StructuredLogger {
  constructor(
    private readonly logger: Logger = pino(),
    private readonly shipper?: LogShipper,
    private readonly bound: Fields = {},
  ) {}

  info(message: string, fields: Fields = {}): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields: Fields = {}): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields: Fields = {}): void {
    this.write('error', message, fields);
  }

  debug(message: string, fields: Fields = {}): void {
    this.write('debug', message, fields);
  }

  /** A logger whose every record carries `fields` too (`logger.child({ agent_id })`). */
  child(fields: Fields): StructuredLogger {
    return new StructuredLogger(this.logger, this.shipper, { ...this.bound, ...fields });
  }

  /** A logger for one task of an agent: its records carry the agent, run, step and task ids. */
  forTask(agent: string, task: TaskLogContext): StructuredLogger {
    return this.child({
      agent_id: agent,
      ...(task.runId ? { run_id: task.runId } : {}),
      ...(task.step ? { step: task.step } : {}),
      ...(task.taskId ? { task_id: task.taskId } : {}),
      ...(task.correlationId ? { request_id: task.correlationId } : {}),
    });
  }

  /** Sends what is buffered for the platform now (call it before the process exits). */
  async flush(): Promise<void> {
    await this.shipper?.flush();
  }

  private write(level: LogLevel, message: string, fields: Fields): void {
    const all = { ...this.bound, ...fields };
    this.logger[level](all, message);
    if (this.shipper && this.logger.isLevelEnabled(level)) {
      this.shipper.add(toRecord(level, message, all));
    }
  }
}

/** A record within the platform's bounds: ids as columns (when text), the rest as fields. */
export function toRecord(level: LogLevel, message: string, all: Fields): LogRecordInput {
  const record: LogRecordInput = {
    time: new Date().toISOString(),
    level,
    message: String(message).slice(0, LOG_LIMITS.messageChars),
  };
  const fields: Fields = {};
  for (const [key, value] of Object.entries(all)) {
    if ((ID_FIELDS as readonly string[]).includes(key) && typeof value === 'string') {
      record[key as (typeof ID_FIELDS)[number]] = value.slice(0, LOG_LIMITS.idChars);
    } else fields[key] = value;
  }
  if (Object.keys(fields).length > 0) {
    const json = safeJson(fields);
    record.fields =
      json !== undefined && Buffer.byteLength(json, 'utf8') <= LOG_LIMITS.fieldsBytes
        ? (JSON.parse(json) as Fields)
        : { truncated: true };
  }
  return record;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined; // a cycle: the fields are not shipped
  }
}
