import { Counter } from 'prom-client';
import { redactSecrets, redactString } from '@baton/contracts';

/** Where a service's own records go when they name no workspace (a reserved workspace id). */
export const PLATFORM_LOG_WORKSPACE = 'platform';

/** One of a service's own records, ready for baton.logs (the shape of LogRecordInput). */
export interface ShippedRecord {
  workspaceId: string;
  record: {
    time: string;
    level: 'warn' | 'error';
    message: string;
    run_id?: string;
    agent_id?: string;
    step?: string;
    task_id?: string;
    request_id?: string;
    trace_id?: string;
    fields: Record<string, unknown>;
  };
}

/** The pino fields that become columns of the stored record, not `fields`. */
const COLUMNS: Record<string, keyof ShippedRecord['record']> = {
  run_id: 'run_id',
  agent: 'agent_id',
  agent_id: 'agent_id',
  step: 'step',
  task_id: 'task_id',
  correlation_id: 'request_id',
  request_id: 'request_id',
  trace_id: 'trace_id',
};
const DROPPED_FIELDS = new Set([
  'level',
  'time',
  'msg',
  'pid',
  'hostname',
  'service',
  'workspace_id',
]);

/** The envelope's workspace pattern: anything else goes to the platform's records. */
const WORKSPACE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_MESSAGE_CHARS = 4_000;
const MAX_ID_CHARS = 200;
const MAX_FIELDS_BYTES = 16_384;

const dropped = new Counter({
  name: 'baton_log_shipping_dropped_total',
  help: 'Log records a process dropped instead of shipping them (buffer full, Kafka unreachable)',
});

/**
 * A pino destination for the records a service ships to the platform's log
 * store (its warnings and errors): it only parses and buffers, so a log call
 * never waits for Kafka. `drain()` hands over what was buffered; a full buffer
 * drops the oldest records and counts them (baton_log_shipping_dropped_total).
 */
export class LogShippingBuffer {
  private records: ShippedRecord[] = [];

  constructor(private readonly capacity = 2_000) {}

  /** pino's stream interface: one JSON line per call. */
  write(line: string): void {
    const parsed = parseLine(line);
    if (!parsed) return;
    if (this.records.length >= this.capacity) {
      this.records.shift();
      dropped.inc();
    }
    this.records.push(parsed);
  }

  drain(): ShippedRecord[] {
    const out = this.records;
    this.records = [];
    return out;
  }

  /** Records that could not be sent, counted as lost. */
  lost(count: number): void {
    dropped.inc(count);
  }

  get size(): number {
    return this.records.length;
  }
}

function parseLine(line: string): ShippedRecord | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const level = raw.level === 'error' || raw.level === 'fatal' ? 'error' : 'warn';
  const record: ShippedRecord['record'] = {
    time: typeof raw.time === 'string' ? raw.time : new Date().toISOString(),
    level,
    message: redactString(String(raw.msg ?? '')).slice(0, MAX_MESSAGE_CHARS),
    fields: {},
  };
  let fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (DROPPED_FIELDS.has(key)) continue;
    const column = COLUMNS[key];
    if (column && typeof value === 'string') {
      (record as unknown as Record<string, string>)[column] = value.slice(0, MAX_ID_CHARS);
    } else fields[key] = value;
  }
  fields = redactSecrets(fields);
  record.fields =
    Buffer.byteLength(JSON.stringify(fields), 'utf8') <= MAX_FIELDS_BYTES
      ? fields
      : { truncated: true };
  // Some records name the workspace they concern as `workspace` (a hook call refused).
  const workspace = [raw.workspace_id, raw.workspace].find(
    (value): value is string => typeof value === 'string' && WORKSPACE_ID.test(value),
  );
  return { workspaceId: workspace ?? PLATFORM_LOG_WORKSPACE, record };
}

let processBuffer: LogShippingBuffer | undefined;

/** The process's buffer, created on first use; undefined when LOG_SHIPPING=off. */
export function logShippingBuffer(): LogShippingBuffer | undefined {
  if (process.env.LOG_SHIPPING === 'off') return undefined;
  processBuffer ??= new LogShippingBuffer();
  return processBuffer;
}
