import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { nextFireAfter } from './schedule';
import type { WorkflowVersionEntity } from './workflow.entity';

export interface EventTriggerRow {
  workspace_id: string;
  workflow: string;
  version: number;
  active_since: Date;
}

export interface ScheduleRow {
  workspace_id: string;
  workflow: string;
  version: number;
  cron: string;
  timezone: string | null;
  next_fire_at: Date | null;
}

/**
 * `workflow_triggers` mirrors the trigger of each workflow's active version.
 * Every change of the active version calls `sync` in its own transaction, so
 * the table never disagrees with what new runs would start.
 */
@Injectable()
export class WorkflowTriggersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records the event types a workflow version's wait_for_event steps wait
   * for: an event of such a type that arrives before its wait is kept a while
   * for it (runs/early-events.repository.ts). Types of old versions stay:
   * their runs may still wait.
   */
  async registerAwaitedTypes(
    manager: EntityManager,
    version: WorkflowVersionEntity,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO awaited_event_types (workspace_id, event_type)
       SELECT DISTINCT $1, t #>> '{}'
         FROM jsonb_path_query($2::jsonb, 'strict $.** ? (@.kind == "wait_for_event").eventType') t
       ON CONFLICT DO NOTHING`,
      [version.workspaceId, JSON.stringify(version.definition)],
    );
  }
  async sync(
    manager: EntityManager,
    active: WorkflowVersionEntity,
    now = new Date(),
  ): Promise<void> {
    const trigger = active.definition.trigger;
    const key = [active.workspaceId, active.name];
    if (trigger.kind === 'http') {
      await manager.query(
        'DELETE FROM workflow_triggers WHERE workspace_id = $1 AND workflow = $2',
        key,
      );
      return;
    }
    if (trigger.kind === 'event') {
      await manager.query(
        `INSERT INTO workflow_triggers (workspace_id, workflow, version, kind, event_type)
         VALUES ($1, $2, $3, 'event', $4)
         ON CONFLICT (workspace_id, workflow) DO UPDATE
           SET version = $3, kind = 'event', event_type = $4, cron = NULL, timezone = NULL,
               next_fire_at = NULL, updated_at = now(),
               active_since = CASE
                 WHEN workflow_triggers.kind = 'event' AND workflow_triggers.event_type = $4
                 THEN workflow_triggers.active_since ELSE now() END`,
        [...key, active.version, trigger.eventType],
      );
      return;
    }
    // The same schedule keeps its next fire time: a new version must not fire early or twice.
    const timezone = trigger.timezone ?? null;
    const next = nextFireAfter({ cron: trigger.cron, timezone }, now);
    await manager.query(
      `INSERT INTO workflow_triggers (workspace_id, workflow, version, kind, cron, timezone, next_fire_at)
       VALUES ($1, $2, $3, 'schedule', $4, $5, $6)
       ON CONFLICT (workspace_id, workflow) DO UPDATE
         SET version = $3, kind = 'schedule', event_type = NULL, cron = $4, timezone = $5,
             next_fire_at = CASE
               WHEN workflow_triggers.kind = 'schedule' AND workflow_triggers.cron = $4
                    AND workflow_triggers.timezone IS NOT DISTINCT FROM $5
                    AND workflow_triggers.next_fire_at IS NOT NULL
               THEN workflow_triggers.next_fire_at ELSE $6 END,
             updated_at = now()`,
      [...key, active.version, trigger.cron, timezone, next],
    );
  }

  /**
   * A time no event trigger starts before, now or later: the earliest
   * `active_since` of the event triggers (one set up later starts later), or
   * now when there is none. Events produced before it start nothing.
   */
  async eventHorizon(): Promise<Date> {
    const rows = (await this.dataSource.query(
      `SELECT COALESCE((SELECT min(active_since) FROM workflow_triggers WHERE kind = 'event'), now())
                AS since`,
    )) as { since: Date | string }[];
    return new Date(rows[0].since);
  }

  /** The workflows of a workspace whose active version starts on this event type. */
  async forEvent(workspaceId: string, eventType: string): Promise<EventTriggerRow[]> {
    return (await this.dataSource.query(
      `SELECT workspace_id, workflow, version, active_since FROM workflow_triggers
        WHERE kind = 'event' AND workspace_id = $1 AND event_type = $2
        ORDER BY workflow`,
      [workspaceId, eventType],
    )) as EventTriggerRow[];
  }

  /**
   * Locks one schedule that is due (or has no fire time yet) in the caller's
   * transaction; SKIP LOCKED lets several engines poll without taking the same one.
   */
  async claimDue(manager: EntityManager): Promise<ScheduleRow | null> {
    const rows = (await manager.query(
      `SELECT workspace_id, workflow, version, cron, timezone, next_fire_at FROM workflow_triggers
        WHERE kind = 'schedule' AND (next_fire_at IS NULL OR next_fire_at <= now())
        ORDER BY next_fire_at NULLS FIRST LIMIT 1
        FOR UPDATE SKIP LOCKED`,
    )) as ScheduleRow[];
    return rows[0] ?? null;
  }

  async setNextFire(manager: EntityManager, row: ScheduleRow, next: Date): Promise<void> {
    await manager.query(
      `UPDATE workflow_triggers SET next_fire_at = $3, updated_at = now()
        WHERE workspace_id = $1 AND workflow = $2`,
      [row.workspace_id, row.workflow, next],
    );
  }
}
