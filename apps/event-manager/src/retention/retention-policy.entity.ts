import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'retention_policies' })
export class RetentionPolicyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ type: 'text' })
  type!: string;

  /** As the user wrote it (`30d`); `maxAgeMs` is what enforcement uses. */
  @Column({ name: 'max_age', type: 'text' })
  maxAge!: string;

  @Column({ name: 'max_age_ms', type: 'bigint' })
  maxAgeMs!: string;

  @Column({ type: 'bigint' })
  deleted!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
