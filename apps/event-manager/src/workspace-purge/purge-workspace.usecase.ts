import { Injectable } from '@nestjs/common';
import { WorkspacePurgeRepository } from './workspace-purge.repository';

/**
 * A purged workspace's data goes from event-manager: every row of it.
 * security-manager already refuses its credentials (it was deleted first);
 * this is the "data kept until a purge" part. Idempotent: a redelivered
 * purge finds nothing left.
 */
@Injectable()
export class PurgeWorkspaceUseCase {
  constructor(private readonly repository: WorkspacePurgeRepository) {}

  async execute(
    workspaceId: string,
  ): Promise<{ rows: Record<string, number>; topics_deleted?: number }> {
    const rows = await this.repository.deleteWorkspace(workspaceId);
    return { rows };
  }
}
