import { WorkspaceRow } from '@baton/database';
import { Column, Entity } from 'typeorm';

/** A client of the client credentials grant: only the digest of its secret is stored. */
@Entity({ name: 'oauth_clients' })
export class OAuthClientEntity extends WorkspaceRow {
  /** The public half of the credential (`bcl_…`), sent as client_id. */
  @Column({ name: 'client_id', type: 'text', unique: true })
  clientId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
