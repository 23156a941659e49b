import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { SessionEntity } from './session.entity';

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, session: SessionEntity): Promise<void> {
    await manager.insert(SessionEntity, session);
  }

  /** An unexpired session by the digest of its token. */
  findLive(tokenHash: string, now = new Date()): Promise<SessionEntity | null> {
    return this.dataSource.manager.findOneBy(SessionEntity, {
      tokenHash,
      expiresAt: MoreThan(now),
    });
  }

  async deleteByHash(tokenHash: string): Promise<boolean> {
    const result = await this.dataSource.manager.delete(SessionEntity, { tokenHash });
    return (result.affected ?? 0) > 0;
  }

  async pruneExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM sessions WHERE expires_at < now()`);
  }
}
