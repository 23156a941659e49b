/** Every Kafka topic Baton uses, named in one place: baton.<domain>.<kind>. */
export const Topics = {
  agentCommands: 'baton.agent.commands',
  agentEvents: 'baton.agent.events',
  agentResults: 'baton.agent.results',
  agentHeartbeats: 'baton.agent.heartbeats',
  /**
   * One task topic per agent and workspace: a worker of workspace A's agent
   * never sees workspace B's tasks for an agent of the same name.
   */
  agentTasks: (workspaceId: string, agent: string): string =>
    `baton.agent.tasks.${workspaceId}.${agent}`,
  workflowCommands: 'baton.workflow.commands',
  workflowEvents: 'baton.workflow.events',
  /**
   * Results of the tasks the workflow engine sends: its tasks name this topic
   * in Headers.replyTo, so agent-manager, which needs a result at once only
   * for its own invokes and submits, is not woken by every workflow step.
   */
  workflowResults: 'baton.workflow.results',
  integrationCommands: 'baton.integration.commands',
  integrationTasks: 'baton.integration.tasks',
  integrationEvents: 'baton.integration.events',
  securityCommands: 'baton.security.commands',
  /**
   * Credentials that stop working now (revoked keys, deleted workspaces).
   * Every gateway reads it in a consumer group of its own (a broadcast) and
   * drops what it cached for them.
   */
  securityRevocations: 'baton.security.revocations',
  /** Workspace lifecycle (created, deleted, purged), for the services that keep its data. */
  securityEvents: 'baton.security.events',
  eventCommands: 'baton.event.commands',
  eventsIngress: 'baton.events.ingress',
  /**
   * Ingress written by a workspace's own principal: on a cluster with ACLs only
   * that workspace may write here, so the topic, not the event, says whose it is.
   */
  workspaceIngress: (workspaceId: string): string => `baton.events.ingress.${workspaceId}`,
  audit: 'baton.audit',
  gatewayReplies: 'baton.gateway.replies',
  /**
   * Every gateway replica's request counts and open streams, broadcast every
   * ~200 ms and read by every replica (a consumer group each), so rate limits
   * and stream caps hold across replicas (docs/adr/0021-rate-limits.md).
   */
  gatewayUsage: 'baton.gateway.usage',
  /** Replies to the queries agent-manager asks (a vault secret of security-manager). */
  agentReplies: 'baton.agent.replies',
  /** Replies to the queries event-manager asks (agent figures for alerts and the metrics summary). */
  eventReplies: 'baton.event.replies',
  /** Replies to the queries workflow-engine asks (stored events a shadow run replays, ADR 0039). */
  workflowReplies: 'baton.workflow.replies',
  /**
   * Structured log records on their way to the store: what SDK clients POST to
   * /v1/logs and the services' own warnings and errors (docs/adr/0027-logs-in-one-place.md).
   */
  logs: 'baton.logs',
  /**
   * Every service replica's readiness and consumer lag, every 15 s, read by
   * event-manager for the platform's self-watch alert rules (docs/alerts.md).
   */
  platformStatus: 'baton.platform.status',
  dlq: (service: string): string => `baton.dlq.${service}`,
} as const;

export const AGENT_TASK_TOPIC_PREFIX = 'baton.agent.tasks.';
export const WORKSPACE_INGRESS_PREFIX = 'baton.events.ingress.';

/**
 * What ingress consumers subscribe to besides baton.events.ingress. kafkajs
 * matches a pattern against the topics that exist when the consumer starts,
 * so a workspace's ingress topic created later is read after the next restart.
 */
export const WORKSPACE_INGRESS_TOPICS = /^baton\.events\.ingress\.[a-z0-9][a-z0-9-]*$/;

/** The workspace a per-workspace ingress topic belongs to; undefined for any other topic. */
export function ingressTopicWorkspace(topic: string): string | undefined {
  if (!topic.startsWith(WORKSPACE_INGRESS_PREFIX)) return undefined;
  const workspace = topic.slice(WORKSPACE_INGRESS_PREFIX.length);
  return workspace.length > 0 && !workspace.includes('.') ? workspace : undefined;
}

/** The topics a task may name for its result; baton.agent.results when it names none. */
const RESULT_TOPICS: readonly string[] = [Topics.agentResults, Topics.workflowResults];

/**
 * Where an agent publishes a task's result: the task's Headers.replyTo if it
 * is a result topic. Anything else is ignored, so whoever can write a task
 * cannot make a worker write elsewhere.
 */
export function resultTopicFor(replyTo: string | undefined): string {
  return replyTo !== undefined && RESULT_TOPICS.includes(replyTo) ? replyTo : Topics.agentResults;
}

/** Kafka headers Baton sets besides the envelope (which travels in the value). */
export const Headers = {
  messageType: 'ce_type',
  workspace: 'baton-workspace',
  traceparent: 'traceparent',
  /** Where the answer goes: a request's reply topic, or a task's result topic. */
  replyTo: 'baton-reply-to',
  requestId: 'baton-request-id',
  dlqReason: 'baton-dlq-reason',
  dlqSourceTopic: 'baton-dlq-source-topic',
  dlqSourcePartition: 'baton-dlq-source-partition',
  dlqSourceOffset: 'baton-dlq-source-offset',
  /** Why, as one word a tool can match: crash, timeout, failed, permanent, unreadable. */
  dlqKind: 'baton-dlq-kind',
} as const;
