import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

@Injectable()
export class WorkspacesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the workspace unless it exists; safe when several replicas start together. */
  async ensure(id: string, name: string): Promise<void> {
    await this.dataSource.query(
      'INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, now()) ON CONFLICT (id) DO NOTHING',
      [id, name],
    );
  }
}
