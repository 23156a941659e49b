import type { IncidentView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface NewIncident {
  id: string;
  workspaceId: string;
  sourceEventId: string;
  source: string;
  title: string;
  severity: string;
  runId: string | null;
  step: string | null;
  error: { type: string; message: string } | null;
}

/** Incidents opened by the workflow handler `escalate`, one per escalation event. */
@Injectable()
export class IncidentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** False when the event opened one already. */
  async open(manager: EntityManager, incident: NewIncident): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO incidents (id, workspace_id, source_event_id, source, title, severity, run_id, step, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (workspace_id, source_event_id) DO NOTHING RETURNING id`,
      [
        incident.id,
        incident.workspaceId,
        incident.sourceEventId,
        incident.source,
        incident.title.slice(0, 500),
        incident.severity,
        incident.runId,
        incident.step,
        incident.error,
      ],
    )) as unknown[];
    return rows.length === 1;
  }

  async list(workspaceId: string, limit = 100): Promise<IncidentView[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM incidents WHERE workspace_id = $1 ORDER BY created_at DESC LIMIT $2`,
      [workspaceId, limit],
    )) as {
      id: string;
      source: string;
      title: string;
      severity: string;
      run_id: string | null;
      step: string | null;
      error: { type: string; message: string } | null;
      created_at: Date;
    }[];
    return rows.map((row) => ({
      id: row.id,
      source: row.source,
      title: row.title,
      severity: row.severity,
      status: 'open',
      run_id: row.run_id,
      step: row.step,
      error: row.error,
      created_at: row.created_at.toISOString(),
    }));
  }
}
