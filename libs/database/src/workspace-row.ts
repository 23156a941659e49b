import { Column, PrimaryColumn } from 'typeorm';

/**
 * What most tables start with: a uuid `id` and the `workspace_id` that every
 * query of the row is scoped by. An entity extends it (TypeORM takes the
 * columns of an undecorated parent class into each entity's own table).
 */
export abstract class WorkspaceRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;
}
