import { Topics } from './topics';
import { AgentTaskTopics } from './messages/agent-tasks.messages';

export interface PlatformTopic {
  topic: string;
  partitions: number;
  config?: Record<string, string>;
}

const SERVICES = [
  'gateway',
  'security-manager',
  'agent-manager',
  'workflow-engine',
  'integration-manager',
  'event-manager',
  // Agent workers built with the SDK dead-letter tasks they cannot read here.
  'agents',
];

/** The six services, each of which reports its status on baton.platform.status. */
export const PLATFORM_SERVICES: readonly string[] = SERVICES.filter((s) => s !== 'agents');

/** Every dead-letter topic: where each service (and SDK workers) put what they cannot handle. */
export const DLQ_TOPICS: readonly string[] = SERVICES.map((service) => Topics.dlq(service));

/**
 * Every fixed platform topic with its partition count. Each service ensures
 * them all at start (cheap and idempotent), so no producer ever meets a topic
 * that does not exist yet; per-agent task topics are created by agent-manager.
 */
export const PLATFORM_TOPICS: PlatformTopic[] = [
  { topic: Topics.agentCommands, partitions: 3 },
  { topic: Topics.agentEvents, partitions: 3 },
  { topic: Topics.agentResults, partitions: 6 },
  { topic: AgentTaskTopics.invocations, partitions: 3 },
  { topic: Topics.agentHeartbeats, partitions: 3, config: { 'retention.ms': String(3_600_000) } },
  { topic: Topics.workflowCommands, partitions: 3 },
  { topic: Topics.workflowEvents, partitions: 6 },
  { topic: Topics.workflowResults, partitions: 6 },
  { topic: Topics.integrationCommands, partitions: 3 },
  { topic: Topics.integrationTasks, partitions: 3 },
  { topic: Topics.integrationEvents, partitions: 3 },
  { topic: Topics.securityCommands, partitions: 3 },
  // Read from the latest offset by gateways as they start (their cache starts empty): a day is plenty.
  {
    topic: Topics.securityRevocations,
    partitions: 1,
    config: { 'retention.ms': String(86_400_000) },
  },
  { topic: Topics.securityEvents, partitions: 3 },
  { topic: Topics.eventCommands, partitions: 3 },
  { topic: Topics.eventsIngress, partitions: 6 },
  { topic: Topics.audit, partitions: 3 },
  // Replies are only useful while someone waits for them.
  { topic: Topics.gatewayReplies, partitions: 3, config: { 'retention.ms': String(3_600_000) } },
  // Usage reports matter only for the current window; one partition keeps each replica's in order.
  { topic: Topics.gatewayUsage, partitions: 1, config: { 'retention.ms': String(600_000) } },
  { topic: Topics.agentReplies, partitions: 3, config: { 'retention.ms': String(3_600_000) } },
  { topic: Topics.eventReplies, partitions: 3, config: { 'retention.ms': String(3_600_000) } },
  { topic: Topics.workflowReplies, partitions: 3, config: { 'retention.ms': String(3_600_000) } },
  // Logs are stored by event-manager within seconds; a day covers an outage of the store.
  { topic: Topics.logs, partitions: 3, config: { 'retention.ms': String(86_400_000) } },
  // Status reports matter for a minute: an hour is plenty.
  { topic: Topics.platformStatus, partitions: 1, config: { 'retention.ms': String(3_600_000) } },
  ...DLQ_TOPICS.map((topic) => ({ topic, partitions: 1 })),
];
