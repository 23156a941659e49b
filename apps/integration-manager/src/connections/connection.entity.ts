import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A configured connector of a workspace; its secrets are only ever stored sealed. */
@Entity({ name: 'connections' })
export class ConnectionEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  connector!: string;

  @Column({ type: 'jsonb' })
  config!: Record<string, unknown>;

  @Column({ name: 'secrets_ciphertext', type: 'text', nullable: true })
  secretsCiphertext!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** The associated data sealed with a connection's secrets: they open only on their own row. */
export function secretsContext(workspaceId: string, name: string): string {
  return `connection:${workspaceId}/${name}`;
}
