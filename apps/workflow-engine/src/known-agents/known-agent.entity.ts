import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'known_agents' })
export class KnownAgentEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
