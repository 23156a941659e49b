import { WorkspaceRow } from '@baton/database';
import { Column, Entity } from 'typeorm';

/** An API key as stored: only its hash, never the key itself. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity extends WorkspaceRow {
  @Column({ type: 'text' })
  name!: string;

  /** The key's first characters, enough to recognise it in a list. */
  @Column({ type: 'text' })
  prefix!: string;

  @Column({ name: 'key_hash', type: 'text', unique: true })
  keyHash!: string;

  @Column({ type: 'jsonb' })
  roles!: string[];

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** `bootstrap` for the key from BATON_BOOTSTRAP_API_KEY, `api` for keys issued by the API. */
  @Column({ type: 'text' })
  origin!: 'bootstrap' | 'api';

  /** Narrows the key to these permissions of its role; null for all of them. */
  @Column({ type: 'jsonb', nullable: true })
  scopes!: string[] | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** The principal that issued it. */
  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;

  /** Set once rotated: the successor's id. */
  @Column({ name: 'replaced_by', type: 'uuid', nullable: true })
  replacedBy!: string | null;
}
