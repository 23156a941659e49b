import { WorkspaceRow } from '@baton/database';
import { Column, Entity } from 'typeorm';
import type { Destination } from './destination';

@Entity({ name: 'routes' })
export class RouteEntity extends WorkspaceRow {
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'text', array: true })
  events!: string[];

  @Column({ type: 'text', nullable: true })
  source!: string | null;

  @Column({ type: 'text', nullable: true })
  filter!: string | null;

  /** The route's default; each destination carries the transform it resolved to. */
  @Column({ type: 'text', nullable: true })
  transform!: string | null;

  @Column({ type: 'jsonb' })
  destinations!: Destination[];

  @Column({ name: 'on_match', type: 'text' })
  onMatch!: 'continue' | 'stop';

  @Column({ type: 'text', nullable: true })
  secret!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
