import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SessionEntity } from './session.entity';

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, session: SessionEntity): Promise<void> {
    await manager.insert(SessionEntity, session);
  }

  /** An unexpired session by the digest of its token, unless its workspace was deleted. */
  findLive(tokenHash: string, now = new Date()): Promise<SessionEntity | null> {
    return this.dataSource.manager
      .createQueryBuilder(SessionEntity, 's')
      .where('s.token_hash = :tokenHash AND s.expires_at > :now', { tokenHash, now })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = s.workspace_id AND w.deleted_at IS NOT NULL)',
      )
      .getOne();
  }

  /** False for a workspace that does not exist or was deleted: nobody signs in to it. */
  async workspaceIsLive(manager: EntityManager, workspaceId: string): Promise<boolean> {
    const rows = (await manager.query(
      'SELECT 1 FROM workspaces WHERE id = $1 AND deleted_at IS NULL',
      [workspaceId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** The session deleted, or null when there was none with this digest. */
  async deleteByHash(manager: EntityManager, tokenHash: string): Promise<SessionEntity | null> {
    const session = await manager.findOneBy(SessionEntity, { tokenHash });
    if (!session) return null;
    await manager.delete(SessionEntity, { id: session.id });
    return session;
  }

  /** Deletes a workspace's sessions of this source; answers their ids. */
  async deleteOfWorkspace(
    manager: EntityManager,
    workspaceId: string,
    source: string,
  ): Promise<string[]> {
    const [rows] = (await manager.query(
      'DELETE FROM sessions WHERE workspace_id = $1 AND source = $2 RETURNING id',
      [workspaceId, source],
    )) as [{ id: string }[], number];
    return rows.map((row) => row.id);
  }

  async pruneExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM sessions WHERE expires_at < now()`);
  }
}
