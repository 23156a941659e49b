import type { LogRecordInput, LogRecordView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { levelName, levelNumber } from './log-levels';

/** A record on its way in: whose, from where, and the record as validated. */
export interface NewLogRecord {
  workspaceId: string;
  source: string;
  record: LogRecordInput;
}

export interface LogFilter {
  agentId?: string;
  runId?: string;
  requestId?: string;
  step?: string;
  source?: string;
  minLevel?: number;
  /** Already lower-cased words, each of which the message must contain. */
  words: string[];
  /** Newest first, below this id (a page cursor). */
  before?: string;
  /** Oldest first, above this id (follow mode). */
  after?: string;
  limit: number;
}

interface LogRow {
  id: string;
  time: Date;
  received_at: Date;
  level: number;
  message: string;
  source: string;
  agent_id: string | null;
  run_id: string | null;
  step: string | null;
  task_id: string | null;
  request_id: string | null;
  trace_id: string | null;
  fields: Record<string, unknown>;
}

/** `%`, `_` and `\` in a user's words match themselves, not patterns. */
function likeLiteral(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

@Injectable()
export class LogsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One statement per consumed batch: the batch travels as one JSON document. */
  async insertMany(records: NewLogRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map(({ workspaceId, source, record }) => ({
      workspace_id: workspaceId,
      time: record.time ?? null,
      level: levelNumber(record.level),
      message: record.message,
      source,
      agent_id: record.agent_id ?? null,
      run_id: record.run_id ?? null,
      step: record.step ?? null,
      task_id: record.task_id ?? null,
      request_id: record.request_id ?? null,
      trace_id: record.trace_id ?? null,
      fields: record.fields ?? {},
    }));
    await this.dataSource.query(
      `INSERT INTO log_records (workspace_id, time, level, message, source, agent_id, run_id,
                                step, task_id, request_id, trace_id, fields)
       SELECT workspace_id, coalesce(time, now()), level, message, source, agent_id, run_id,
              step, task_id, request_id, trace_id, coalesce(fields, '{}')
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (workspace_id text,
              time timestamptz, level smallint, message text, source text, agent_id text,
              run_id text, step text, task_id text, request_id text, trace_id text, fields jsonb))
              WITH ORDINALITY AS r(workspace_id, time, level, message, source, agent_id, run_id,
              step, task_id, request_id, trace_id, fields, n)
        ORDER BY n`,
      [JSON.stringify(rows)],
    );
  }

  async list(workspaceId: string, filter: LogFilter): Promise<LogRecordView[]> {
    const params: unknown[] = [workspaceId];
    const where = ['workspace_id = $1'];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.agentId !== undefined) add('agent_id = ?', filter.agentId);
    if (filter.runId !== undefined) add('run_id = ?', filter.runId);
    if (filter.requestId !== undefined) add('request_id = ?', filter.requestId);
    if (filter.step !== undefined) add('step = ?', filter.step);
    if (filter.source !== undefined) add('source = ?', filter.source);
    if (filter.minLevel !== undefined) add('level >= ?', filter.minLevel);
    for (const word of filter.words) add(`lower(message) LIKE ? ESCAPE '\\'`, likeLiteral(word));
    if (filter.before !== undefined) add('id < ?::bigint', filter.before);
    if (filter.after !== undefined) add('id > ?::bigint', filter.after);
    params.push(filter.limit);
    const order = filter.after !== undefined ? 'ASC' : 'DESC';
    const rows = (await this.dataSource.query(
      `SELECT id::text, time, received_at, level, message, source, agent_id, run_id, step,
              task_id, request_id, trace_id, fields
         FROM log_records WHERE ${where.join(' AND ')}
        ORDER BY log_records.id ${order} LIMIT $${params.length}`,
      params,
    )) as LogRow[];
    return rows.map(toView);
  }

  /**
   * Deletes up to `batch` expired records: older than the workspace's
   * `baton.logs` retention policy, else than `defaultMaxAgeMs`. Returns how
   * many went.
   */
  async deleteExpired(defaultMaxAgeMs: number, batch: number): Promise<number> {
    const [row] = (await this.dataSource.query(
      `WITH policy AS (
         SELECT workspace_id, min(max_age_ms) AS max_age_ms FROM retention_policies
          WHERE type = 'baton.logs' GROUP BY workspace_id),
       shortest AS (
         SELECT least($1::bigint, coalesce(min(max_age_ms), $1::bigint)) AS ms FROM policy),
       deleted AS (
         DELETE FROM log_records WHERE id IN (
           SELECT l.id FROM log_records l LEFT JOIN policy p ON p.workspace_id = l.workspace_id
            WHERE l.received_at < now() - ((SELECT ms FROM shortest) * interval '1 millisecond')
              AND l.received_at < now() - (coalesce(p.max_age_ms, $1::bigint) * interval '1 millisecond')
            LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS n FROM deleted`,
      [defaultMaxAgeMs, batch],
    )) as { n: number }[];
    return Number(row?.n ?? 0);
  }
}

function toView(row: LogRow): LogRecordView {
  return {
    id: row.id,
    time: new Date(row.time).toISOString(),
    received_at: new Date(row.received_at).toISOString(),
    level: levelName(Number(row.level)),
    message: row.message,
    source: row.source,
    agent_id: row.agent_id,
    run_id: row.run_id,
    step: row.step,
    task_id: row.task_id,
    request_id: row.request_id,
    trace_id: row.trace_id,
    fields: row.fields,
  };
}
