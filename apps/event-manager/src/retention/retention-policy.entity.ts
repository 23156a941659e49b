import { WorkspaceRow } from '@baton/database';
import { Column, Entity } from 'typeorm';

@Entity({ name: 'retention_policies' })
export class RetentionPolicyEntity extends WorkspaceRow {
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
