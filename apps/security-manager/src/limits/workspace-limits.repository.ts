import type { StoredWorkspaceLimits, WorkspaceLimitsBody } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { WorkspaceLimitsEntity } from './workspace-limits.entity';

export function toLimitsView(
  workspaceId: string,
  row: WorkspaceLimitsEntity | null,
): StoredWorkspaceLimits {
  return {
    workspace_id: workspaceId,
    requests_per_key: row?.requestsPerKey ?? null,
    requests_per_workspace: row?.requestsPerWorkspace ?? null,
    window_seconds: row?.windowSeconds ?? null,
    sse_streams: row?.sseStreams ?? null,
    updated_at: row ? row.updatedAt.toISOString() : null,
  };
}

@Injectable()
export class WorkspaceLimitsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async workspaceExists(workspaceId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM workspaces WHERE id = $1', [
      workspaceId,
    ]);
    return rows.length > 0;
  }

  find(workspaceId: string): Promise<WorkspaceLimitsEntity | null> {
    return this.dataSource.manager.findOneBy(WorkspaceLimitsEntity, { workspaceId });
  }

  /** Replaces the workspace's limits as a whole (PUT): a field left out is back to its default. */
  async replace(
    manager: EntityManager,
    workspaceId: string,
    limits: WorkspaceLimitsBody,
  ): Promise<WorkspaceLimitsEntity> {
    const [row] = (await manager.query(
      `INSERT INTO workspace_limits
         (workspace_id, requests_per_key, requests_per_workspace, window_seconds, sse_streams, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (workspace_id) DO UPDATE SET
         requests_per_key = EXCLUDED.requests_per_key,
         requests_per_workspace = EXCLUDED.requests_per_workspace,
         window_seconds = EXCLUDED.window_seconds,
         sse_streams = EXCLUDED.sse_streams,
         updated_at = now()
       RETURNING updated_at`,
      [
        workspaceId,
        limits.requests_per_key ?? null,
        limits.requests_per_workspace ?? null,
        limits.window_seconds ?? null,
        limits.sse_streams ?? null,
      ],
    )) as { updated_at: Date }[];
    return Object.assign(new WorkspaceLimitsEntity(), {
      workspaceId,
      requestsPerKey: limits.requests_per_key ?? null,
      requestsPerWorkspace: limits.requests_per_workspace ?? null,
      windowSeconds: limits.window_seconds ?? null,
      sseStreams: limits.sse_streams ?? null,
      updatedAt: row.updated_at,
    });
  }

  async remove(manager: EntityManager, workspaceId: string): Promise<void> {
    await manager.query('DELETE FROM workspace_limits WHERE workspace_id = $1', [workspaceId]);
  }
}
