import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A workspace's own limits; a null column takes the gateway's default. */
@Entity({ name: 'workspace_limits' })
export class WorkspaceLimitsEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ name: 'requests_per_key', type: 'integer', nullable: true })
  requestsPerKey!: number | null;

  @Column({ name: 'requests_per_workspace', type: 'integer', nullable: true })
  requestsPerWorkspace!: number | null;

  @Column({ name: 'window_seconds', type: 'integer', nullable: true })
  windowSeconds!: number | null;

  @Column({ name: 'sse_streams', type: 'integer', nullable: true })
  sseStreams!: number | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
