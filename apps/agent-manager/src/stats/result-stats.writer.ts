import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** One result on baton.agent.results, as agent-manager keeps it for stats (a row of agent_results). */
export interface ResultStat {
  workspace: string;
  agent: string;
  taskId: string;
  attempt: number;
  status: string;
  errorType: string | null;
  durationMs: number | null;
  /** The result envelope's time (ISO 8601). */
  finishedAt: string;
}

/** The key of an agent_results row: a task's attempt has one result. */
export interface ResultKey {
  task_id: string;
  attempt: number;
}

/** Writes result rows; an abstract class so Nest can inject it and tests can fake it. */
export abstract class ResultStatsWriter {
  /** Inserts the rows and returns the keys of those not already written (not redeliveries). */
  abstract insert(rows: readonly ResultStat[]): Promise<ResultKey[]>;
}

/** One INSERT ... ON CONFLICT DO NOTHING for all the rows given. */
@Injectable()
export class PostgresResultStatsWriter extends ResultStatsWriter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async insert(rows: readonly ResultStat[]): Promise<ResultKey[]> {
    if (rows.length === 0) return [];
    return (await this.dataSource.query(
      `INSERT INTO agent_results (workspace_id, agent, task_id, attempt, status, error_type, duration_ms, finished_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::int[], $8::timestamptz[])
       ON CONFLICT (task_id, attempt) DO NOTHING RETURNING task_id, attempt`,
      [
        rows.map((s) => s.workspace),
        rows.map((s) => s.agent),
        rows.map((s) => s.taskId),
        rows.map((s) => s.attempt),
        rows.map((s) => s.status),
        rows.map((s) => s.errorType),
        rows.map((s) => s.durationMs),
        rows.map((s) => s.finishedAt),
      ],
    )) as ResultKey[];
  }
}
