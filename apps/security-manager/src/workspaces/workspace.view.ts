import type { WorkspaceStatus, WorkspaceView } from '@baton/contracts';
import type { WorkspaceEntity } from './workspace.entity';

export function workspaceStatus(workspace: WorkspaceEntity): WorkspaceStatus {
  if (workspace.purgedAt) return 'purged';
  if (workspace.deletedAt) return 'deleted';
  return 'active';
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toWorkspaceView(workspace: WorkspaceEntity): WorkspaceView {
  return {
    id: workspace.id,
    name: workspace.name,
    status: workspaceStatus(workspace),
    created_at: workspace.createdAt.toISOString(),
    updated_at: workspace.updatedAt.toISOString(),
    deleted_at: iso(workspace.deletedAt),
    purged_at: iso(workspace.purgedAt),
  };
}
