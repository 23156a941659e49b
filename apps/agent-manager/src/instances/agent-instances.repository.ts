import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The last heartbeat of one instance, as the heartbeats consumer keeps it. */
export interface HeartbeatRow {
  workspaceId: string;
  agent: string;
  instanceId: string;
  inFlight: number;
  version: string | null;
  /** The heartbeat envelope's time (ISO 8601). */
  time: string;
  tasks: unknown[];
  leaseMs: number | null;
}

/** An instance agent-manager itself is for a bridged agent, with the tasks it runs for it. */
export interface BridgeBeat {
  workspaceId: string;
  agent: string;
  inFlight: number;
}

export interface InstanceRow {
  instance_id: string;
  pid: number | null;
  in_flight: number;
  version: string | null;
  last_heartbeat: Date;
  tasks: { task_id: string; attempt: number; since: string }[];
  lease_ms: number | null;
}

/** The `agent_instances` table: every instance of every agent and its last heartbeat. */
@Injectable()
export class AgentInstancesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One upsert for a batch: at most one row per instance, the newest beat wins. */
  async recordHeartbeats(beats: readonly HeartbeatRow[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO agent_instances
         (workspace_id, agent, instance_id, in_flight, version, last_heartbeat, tasks, lease_ms)
       SELECT w, a, i, f, v, t, k::jsonb, l FROM unnest($1::text[], $2::text[], $3::text[], $4::int[],
         $5::text[], $6::timestamptz[], $7::text[], $8::int[]) AS beat(w, a, i, f, v, t, k, l)
       ON CONFLICT (workspace_id, agent, instance_id) DO UPDATE
         SET in_flight = EXCLUDED.in_flight, version = EXCLUDED.version,
             tasks = EXCLUDED.tasks, lease_ms = EXCLUDED.lease_ms,
             last_heartbeat = EXCLUDED.last_heartbeat
         -- beats of one instance may arrive out of order across batches: the newest wins
         WHERE agent_instances.last_heartbeat <= EXCLUDED.last_heartbeat`,
      [
        beats.map((b) => b.workspaceId),
        beats.map((b) => b.agent),
        beats.map((b) => b.instanceId),
        beats.map((b) => b.inFlight),
        beats.map((b) => b.version),
        beats.map((b) => b.time),
        beats.map((b) => JSON.stringify(b.tasks)),
        beats.map((b) => b.leaseMs),
      ],
    );
  }

  /** agent-manager's own beat, as `instanceId`, for each bridged agent whose consumer joined. */
  async beatForBridge(instanceId: string, beats: readonly BridgeBeat[]): Promise<void> {
    if (beats.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO agent_instances (workspace_id, agent, instance_id, in_flight, version, last_heartbeat)
       SELECT w, a, $3, n, 'agent-manager', now() FROM unnest($1::text[], $2::text[], $4::int[]) AS t(w, a, n)
       ON CONFLICT (workspace_id, agent, instance_id) DO UPDATE
         SET in_flight = EXCLUDED.in_flight, last_heartbeat = EXCLUDED.last_heartbeat`,
      [
        beats.map((b) => b.workspaceId),
        beats.map((b) => b.agent),
        instanceId,
        beats.map((b) => b.inFlight),
      ],
    );
  }

  /**
   * A process the provisioner started, before its first heartbeat: listed with
   * its pid and a heartbeat at the epoch (not healthy until it beats).
   */
  async registerProcess(
    workspaceId: string,
    agent: string,
    instanceId: string,
    pid: number | undefined,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO agent_instances (workspace_id, agent, instance_id, in_flight, last_heartbeat, pid)
       VALUES ($1, $2, $3, 0, to_timestamp(0), $4)
       ON CONFLICT (workspace_id, agent, instance_id) DO UPDATE SET pid = EXCLUDED.pid`,
      [workspaceId, agent, instanceId, pid],
    );
  }

  async remove(workspaceId: string, agent: string, instanceId: string): Promise<void> {
    await this.dataSource.query(
      'DELETE FROM agent_instances WHERE workspace_id = $1 AND agent = $2 AND instance_id = $3',
      [workspaceId, agent, instanceId],
    );
  }

  /** Those of `instanceIds` whose last heartbeat is older than `ttlMs`. */
  async silent(
    workspaceId: string,
    agent: string,
    instanceIds: readonly string[],
    ttlMs: number,
  ): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT instance_id FROM agent_instances
       WHERE workspace_id = $1 AND agent = $2 AND instance_id = ANY($3)
         AND last_heartbeat < now() - ($4 || ' milliseconds')::interval`,
      [workspaceId, agent, instanceIds, String(ttlMs)],
    )) as { instance_id: string }[];
    return rows.map((row) => row.instance_id);
  }

  /** The agent's instances that beat within `withinMs`, the latest first (1000 at most). */
  async recent(workspaceId: string, agent: string, withinMs: number): Promise<InstanceRow[]> {
    return (await this.dataSource.query(
      `SELECT instance_id, in_flight, version, last_heartbeat, pid, tasks, lease_ms FROM agent_instances
       WHERE workspace_id = $1 AND agent = $2
         AND last_heartbeat > now() - ($3 || ' milliseconds')::interval
       ORDER BY last_heartbeat DESC LIMIT 1000`,
      [workspaceId, agent, String(withinMs)],
    )) as InstanceRow[];
  }

  /** Per workspace and agent, the instances whose last heartbeat is within `ttlMs`. */
  async healthyCounts(
    ttlMs: number,
  ): Promise<{ workspace_id: string; agent: string; n: number }[]> {
    return (await this.dataSource.query(
      `SELECT workspace_id, agent, count(*)::int AS n FROM agent_instances
               WHERE last_heartbeat > now() - ($1 || ' milliseconds')::interval
               GROUP BY workspace_id, agent`,
      [String(ttlMs)],
    )) as { workspace_id: string; agent: string; n: number }[];
  }

  /**
   * The agent's work in flight: the running tasks agent-manager knows of, plus
   * what its live instances (a heartbeat within `ttlMs`) report.
   */
  async inFlight(workspaceId: string, agent: string, ttlMs: number): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT
         (SELECT count(*)::int FROM tasks WHERE workspace_id = $1 AND agent = $2 AND status = 'running') +
         (SELECT COALESCE(sum(in_flight), 0)::int FROM agent_instances
          WHERE workspace_id = $1 AND agent = $2
            AND last_heartbeat > now() - ($3 || ' milliseconds')::interval) AS n`,
      [workspaceId, agent, String(ttlMs)],
    )) as { n: number }[];
    return row.n;
  }
}
