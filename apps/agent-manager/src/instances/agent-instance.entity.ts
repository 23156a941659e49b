import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A live worker process serving an agent, as last reported by its heartbeat. */
@Entity({ name: 'agent_instances' })
export class AgentInstanceEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  agent!: string;

  @PrimaryColumn({ name: 'instance_id', type: 'text' })
  instanceId!: string;

  @Column({ name: 'in_flight', type: 'int' })
  inFlight!: number;

  @Column({ type: 'text', nullable: true })
  version!: string | null;

  @Column({ name: 'last_heartbeat', type: 'timestamptz' })
  lastHeartbeat!: Date;

  /** The tasks the instance holds, as its last heartbeat reported them. */
  @Column({ type: 'jsonb' })
  tasks!: { task_id: string; attempt: number; since: string }[];

  @Column({ name: 'lease_ms', type: 'int', nullable: true })
  leaseMs!: number | null;

  /** Set for instances agent-manager started itself. */
  @Column({ type: 'int', nullable: true })
  pid!: number | null;
}
