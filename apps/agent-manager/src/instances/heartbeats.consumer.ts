import { HeartbeatMessage, Topics, validateInto } from '@baton/contracts';
import { BatonKafka, type ConsumedMessage } from '@baton/kafka';
import { Readiness, TopicConsumer } from '@baton/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * Keeps the last heartbeat of every agent instance. A batch of heartbeats is
 * one upsert: at most one row per instance, however often they beat.
 */
@Injectable()
export class HeartbeatsConsumer extends TopicConsumer {
  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) readiness: Readiness,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super(kafka, readiness, 'heartbeats', {
      groupId: 'baton-agent-manager-heartbeats',
      topics: [Topics.agentHeartbeats],
      dlqTopic: Topics.dlq('agent-manager'),
      fromBeginning: false,
      handleBatch: (messages) => this.record(messages),
    });
  }

  private async record(messages: ConsumedMessage[]): Promise<void> {
    const latest = new Map<string, { workspace: string; beat: HeartbeatMessage; time: string }>();
    for (const message of messages) {
      const beat = validateInto(HeartbeatMessage, message.envelope.data, 'heartbeat');
      const workspace = message.envelope.workspaceid;
      latest.set(`${workspace}/${beat.agent}/${beat.instance_id}`, {
        workspace,
        beat,
        time: message.envelope.time,
      });
    }
    const rows = [...latest.values()];
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
        rows.map((r) => r.workspace),
        rows.map((r) => r.beat.agent),
        rows.map((r) => r.beat.instance_id),
        rows.map((r) => r.beat.in_flight),
        rows.map((r) => r.beat.version ?? null),
        rows.map((r) => r.time),
        rows.map((r) => JSON.stringify(r.beat.tasks ?? [])),
        rows.map((r) => r.beat.lease_ms ?? null),
      ],
    );
  }
}
