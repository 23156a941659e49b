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
  integrationCommands: 'baton.integration.commands',
  integrationTasks: 'baton.integration.tasks',
  integrationEvents: 'baton.integration.events',
  securityCommands: 'baton.security.commands',
  eventCommands: 'baton.event.commands',
  eventsIngress: 'baton.events.ingress',
  audit: 'baton.audit',
  gatewayReplies: 'baton.gateway.replies',
  dlq: (service: string): string => `baton.dlq.${service}`,
} as const;

export const AGENT_TASK_TOPIC_PREFIX = 'baton.agent.tasks.';

/** Kafka headers Baton sets besides the envelope (which travels in the value). */
export const Headers = {
  messageType: 'ce_type',
  workspace: 'baton-workspace',
  traceparent: 'traceparent',
  replyTo: 'baton-reply-to',
  requestId: 'baton-request-id',
  dlqReason: 'baton-dlq-reason',
  dlqSourceTopic: 'baton-dlq-source-topic',
  dlqSourcePartition: 'baton-dlq-source-partition',
  dlqSourceOffset: 'baton-dlq-source-offset',
} as const;
