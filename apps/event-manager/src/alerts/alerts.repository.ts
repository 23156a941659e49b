import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AlertRuleRow, RuleScope } from './alert-rule';
import type { AlertState } from './alert-state';

export interface RuleFields {
  condition: string;
  notification_channels: string[];
  severity: string;
  for_text: string | null;
  for_ms: number;
  window_text: string;
  window_ms: number;
  scope: RuleScope | null;
  description: string | null;
}

export interface HistoryRow {
  id: string;
  from_state: string;
  to_state: string;
  at: Date;
  values: Record<string, number | null>;
}

/** A workspace holds at most this many rules; a round evaluates at most MAX_RULES_PER_ROUND. */
export const MAX_RULES = 200;

/**
 * TypeORM's query() answers UPDATE and DELETE (with RETURNING) as [rows, affected],
 * INSERT ... RETURNING as rows.
 */
@Injectable()
export class AlertsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** False when a rule of that name exists already. */
  async insert(
    manager: EntityManager,
    id: string,
    workspaceId: string,
    name: string,
    fields: RuleFields,
  ): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO alert_rules (id, workspace_id, name, condition, notification_channels, severity,
                                for_text, for_ms, window_text, window_ms, scope, description)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (workspace_id, name) DO NOTHING RETURNING id`,
      [id, workspaceId, name, ...fieldValues(fields)],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Changing a rule starts its evaluation afresh (state ok): the old state was about another condition. */
  async update(
    manager: EntityManager,
    workspaceId: string,
    name: string,
    fields: RuleFields,
  ): Promise<void> {
    await manager.query(
      `UPDATE alert_rules SET condition = $3, notification_channels = $4, severity = $5,
              for_text = $6, for_ms = $7, window_text = $8, window_ms = $9, scope = $10,
              description = $11, revision = revision + 1, state = 'ok', state_since = NULL, last_values = '{}',
              updated_at = now()
        WHERE workspace_id = $1 AND name = $2`,
      [workspaceId, name, ...fieldValues(fields)],
    );
  }

  async find(workspaceId: string, name: string): Promise<AlertRuleRow | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT * FROM alert_rules WHERE workspace_id = $1 AND name = $2`,
      [workspaceId, name],
    )) as AlertRuleRow[];
    return row;
  }

  list(workspaceId: string): Promise<AlertRuleRow[]> {
    return this.dataSource.query(
      `SELECT * FROM alert_rules WHERE workspace_id = $1 ORDER BY name LIMIT $2`,
      [workspaceId, MAX_RULES],
    ) as Promise<AlertRuleRow[]>;
  }

  async count(workspaceId: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM alert_rules WHERE workspace_id = $1`,
      [workspaceId],
    )) as { n: number }[];
    return Number(row.n);
  }

  /** Every rule of every workspace, least recently evaluated first. */
  dueRules(limit: number): Promise<AlertRuleRow[]> {
    return this.dataSource.query(
      `SELECT * FROM alert_rules ORDER BY last_evaluated_at NULLS FIRST, id LIMIT $1`,
      [limit],
    ) as Promise<AlertRuleRow[]>;
  }

  async delete(manager: EntityManager, workspaceId: string, name: string): Promise<boolean> {
    return touchedOne(
      manager,
      `DELETE FROM alert_rules WHERE workspace_id = $1 AND name = $2 RETURNING id`,
      [workspaceId, name],
    );
  }

  async silence(
    manager: EntityManager,
    workspaceId: string,
    name: string,
    until: Date,
  ): Promise<boolean> {
    return touchedOne(
      manager,
      `UPDATE alert_rules SET silenced_until = $3, updated_at = now()
        WHERE workspace_id = $1 AND name = $2 RETURNING id`,
      [workspaceId, name, until],
    );
  }

  /** Records one evaluation; false when the rule changed meanwhile (its round result is stale). */
  async recordEvaluation(
    manager: EntityManager,
    rule: AlertRuleRow,
    state: AlertState,
    since: Date | null,
    values: Record<string, number | null>,
  ): Promise<boolean> {
    return touchedOne(
      manager,
      `UPDATE alert_rules SET state = $2, state_since = $3, last_values = $4, last_evaluated_at = now()
        WHERE id = $1 AND revision = $5 RETURNING id`,
      [rule.id, state, since, values, rule.revision],
    );
  }

  async addHistory(
    manager: EntityManager,
    rule: AlertRuleRow,
    from: AlertState,
    to: AlertState,
    values: Record<string, number | null>,
    eventId: string,
  ): Promise<string> {
    const [row] = (await manager.query(
      `INSERT INTO alert_history (rule_id, workspace_id, from_state, to_state, values, event_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id`,
      [rule.id, rule.workspace_id, from, to, values, eventId],
    )) as { id: string }[];
    return row.id;
  }

  // ORDER BY names the table's column: a bare `id` would sort the text alias (10 before 9).
  history(ruleId: string, beforeId: string | undefined, limit: number): Promise<HistoryRow[]> {
    return this.dataSource.query(
      `SELECT id::text AS id, from_state, to_state, at, values FROM alert_history
        WHERE rule_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
        ORDER BY alert_history.id DESC LIMIT $3`,
      [ruleId, beforeId ?? null, limit],
    ) as Promise<HistoryRow[]>;
  }

  /** Rules firing and pending per workspace, for the metrics summary. */
  async stateCounts(workspaceId: string): Promise<{ firing: number; pending: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT (count(*) FILTER (WHERE state = 'firing'))::int AS firing,
              (count(*) FILTER (WHERE state = 'pending'))::int AS pending
         FROM alert_rules WHERE workspace_id = $1`,
      [workspaceId],
    )) as { firing: number; pending: number }[];
    return { firing: Number(row.firing), pending: Number(row.pending) };
  }

  /**
   * Takes or renews the evaluator's lease for `ms`: one replica evaluates at a
   * time; another takes over once a holder stops renewing (a crash).
   */
  async lease(holder: string, ms: number): Promise<boolean> {
    return touchedOne(
      this.dataSource,
      `UPDATE alert_evaluator_lease SET holder = $1, until = now() + $2 * interval '1 millisecond'
        WHERE id = 1 AND (holder = $1 OR until < now()) RETURNING id`,
      [holder, ms],
    );
  }

  async releaseLease(holder: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE alert_evaluator_lease SET until = 'epoch' WHERE id = 1 AND holder = $1`,
      [holder],
    );
  }
}

function fieldValues(fields: RuleFields): unknown[] {
  return [
    fields.condition,
    fields.notification_channels,
    fields.severity,
    fields.for_text,
    fields.for_ms,
    fields.window_text,
    fields.window_ms,
    fields.scope,
    fields.description,
  ];
}

/** Runs an UPDATE or DELETE … RETURNING id: true when it touched the one row it names. */
async function touchedOne(
  runner: Pick<EntityManager, 'query'>,
  sql: string,
  params: unknown[],
): Promise<boolean> {
  const [rows] = (await runner.query(sql, params)) as [unknown[], number];
  return rows.length === 1;
}
