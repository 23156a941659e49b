import { deleteWorkspaceRows, type WorkspaceTable } from '@baton/database';
import { Inject, Injectable, Module, type DynamicModule, type Type } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  WORKSPACE_PURGER,
  WorkspacePurgeConsumer,
  type WorkspacePurger,
} from './workspace-purge.consumer';

const WORKSPACE_TABLES = Symbol.for('baton.workspace-tables');

/**
 * Deletes a workspace's rows from the tables of the service's schema that
 * hold them (WorkspacePurgeModule.forTables), batched, and a no-op the
 * second time. It is the whole purge of a service whose data is only rows;
 * a service that also keeps something else (agent-manager's task topics)
 * calls deleteRows from its own purger.
 */
@Injectable()
export class WorkspaceRowsPurger implements WorkspacePurger {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WORKSPACE_TABLES) private readonly tables: readonly WorkspaceTable[],
  ) {}

  /** Rows deleted per table. */
  deleteRows(workspaceId: string): Promise<Record<string, number>> {
    return deleteWorkspaceRows(this.dataSource, this.tables, workspaceId);
  }

  async execute(workspaceId: string): Promise<{ rows: Record<string, number> }> {
    return { rows: await this.deleteRows(workspaceId) };
  }
}

/**
 * Deletes a workspace's data when security-manager announces its purge: the
 * one module every service that keeps workspace data imports.
 */
@Module({})
export class WorkspacePurgeModule {
  /**
   * `tables`: every table of the service's schema that holds a workspace's
   * rows, children before parents (the purge e2e test fails for a table whose
   * rows outlive the purge). `purger`: what runs the purge when it is more
   * than those rows; by default WorkspaceRowsPurger.
   */
  static forTables(
    tables: readonly WorkspaceTable[],
    purger: Type<WorkspacePurger> = WorkspaceRowsPurger,
  ): DynamicModule {
    const providers = [
      { provide: WORKSPACE_TABLES, useValue: tables },
      WorkspaceRowsPurger,
      { provide: WORKSPACE_PURGER, useClass: purger },
      WorkspacePurgeConsumer,
    ];
    return { module: WorkspacePurgeModule, providers };
  }
}
