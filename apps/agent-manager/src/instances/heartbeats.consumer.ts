import { HeartbeatMessage, Topics, validateInto } from '@baton/contracts';
import { type ConsumedMessage } from '@baton/kafka';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { AgentInstancesRepository } from './agent-instances.repository';

/**
 * Keeps the last heartbeat of every agent instance. A batch of heartbeats is
 * one upsert: at most one row per instance, however often they beat.
 */
@Injectable()
export class HeartbeatsConsumer extends TopicConsumer {
  constructor(
    context: ConsumerContext,
    private readonly instances: AgentInstancesRepository,
  ) {
    super(context, 'heartbeats', {
      topics: [Topics.agentHeartbeats],
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
    await this.instances.recordHeartbeats(
      [...latest.values()].map(({ workspace, beat, time }) => ({
        workspaceId: workspace,
        agent: beat.agent,
        instanceId: beat.instance_id,
        inFlight: beat.in_flight,
        version: beat.version ?? null,
        time,
        tasks: beat.tasks ?? [],
        leaseMs: beat.lease_ms ?? null,
      })),
    );
  }
}
