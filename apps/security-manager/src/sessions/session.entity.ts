import { WorkspaceRow } from '@baton/database';
import { Column, Entity } from 'typeorm';

/** A person's sign-in: only the SHA-256 of its token is stored, never the token. */
@Entity({ name: 'sessions' })
export class SessionEntity extends WorkspaceRow {
  @Column({ name: 'token_hash', type: 'text', unique: true })
  tokenHash!: string;

  @Column({ type: 'text' })
  principal!: string;

  @Column({ type: 'jsonb' })
  roles!: string[];

  /** How the person signed in (`saml`). */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
