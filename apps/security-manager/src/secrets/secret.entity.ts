import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A secret of a workspace's vault; its value is only ever stored sealed. */
@Entity({ name: 'secrets' })
export class SecretEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  /** `v2:<key id>:...`, bound to the workspace and name (secretContext). */
  @Column({ type: 'text' })
  sealed!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** The associated data a stored secret is sealed with: it opens only on its own row. */
export function secretContext(workspaceId: string, name: string): string {
  return `secret:${workspaceId}/${name}`;
}
