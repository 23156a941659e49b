import {
  AGENT_TASK_TOPIC_PREFIX,
  AgentTaskTopics,
  DLQ_TOPICS,
  PLATFORM_TOPICS,
  Topics,
  WORKSPACE_INGRESS_PREFIX,
} from '@baton/contracts';
import {
  ANY_TOPIC,
  groupPrefix,
  servicePrincipal,
  topicPrefix,
  topics,
  workerPrincipal,
  type AclRule,
} from './acl-rule';

/**
 * What each service reads and writes, taken from its consumers and
 * publishers (grep `topics:` and `topic:` under apps/<service>). A service
 * not listed as a topic's reader or writer is refused it by the broker.
 */
interface ServiceAccess {
  reads: string[];
  writes: string[];
  /** Per-agent task topics (baton.agent.tasks.<workspace>.<agent>). */
  agentTasks?: ('read' | 'write' | 'manage')[];
  /** Per-workspace ingress topics (baton.events.ingress.<workspace>): read. */
  workspaceIngress?: boolean;
  /** Consumer-group prefixes besides its own `baton-<service>-`. */
  extraGroupPrefixes?: string[];
  /**
   * Topics a tenant names (event-manager's subscription, route and replay
   * destinations: any Kafka topic name): create and write any topic, except
   * the platform topics not in `writes` and the workspaces' ingress topics,
   * which are denied (a deny overrides every allow on the broker).
   */
  tenantTopics?: boolean;
  /**
   * Issues workspaces' worker credentials (POST /v1/workspaces/{id}/worker-credentials):
   * ALTER on the cluster (SCRAM users and ACLs; Kafka has no narrower right for either, so
   * this principal can grant any ACL: ADR 0030), DESCRIBE on it (reading ACLs back), and
   * creating workspace ingress topics.
   */
  issuesWorkerCredentials?: boolean;
}

export const SERVICE_ACCESS: Record<string, ServiceAccess> = {
  gateway: {
    // Revocations: each gateway reads them in a group of its own (baton-gateway-revocations-<id>).
    // gatewayUsage: every replica reads all others' counts (rate limits across replicas).
    reads: [Topics.gatewayReplies, Topics.securityRevocations, Topics.gatewayUsage],
    writes: [
      Topics.gatewayUsage,
      Topics.workflowCommands,
      Topics.agentCommands,
      Topics.eventCommands,
      Topics.integrationCommands,
      Topics.securityCommands,
      AgentTaskTopics.invocations,
      // The gateway stamps the caller's workspace from its credential.
      Topics.eventsIngress,
      Topics.audit,
      // What SDK clients POST to /v1/logs, and its own warnings and errors.
      Topics.logs,
    ],
  },
  'security-manager': {
    reads: [Topics.securityCommands, Topics.audit],
    // Its own audit records (reading the trail is audited) go through its outbox too;
    // agent-manager asks for vault secrets (answered sealed) on its own reply topic.
    writes: [
      Topics.gatewayReplies,
      Topics.securityRevocations,
      Topics.securityEvents,
      Topics.audit,
      Topics.agentReplies,
      Topics.logs,
    ],
    issuesWorkerCredentials: true,
  },
  'agent-manager': {
    reads: [
      Topics.agentCommands,
      AgentTaskTopics.invocations,
      Topics.agentResults,
      Topics.workflowResults,
      Topics.agentHeartbeats,
      Topics.agentReplies,
      // Workspace purges (each service deletes the purged workspace's data).
      Topics.securityEvents,
    ],
    writes: [
      Topics.agentEvents,
      Topics.agentResults,
      Topics.workflowResults,
      Topics.gatewayReplies,
      // Every service audits the changes it makes, from its outbox (ADR 0020).
      Topics.audit,
      // Vault secrets of HTTP and LLM agents.
      Topics.securityCommands,
      // The MCP tools of llm agents, called through integration-manager's connections (ADR 0040).
      Topics.integrationCommands,
      // Agent figures event-manager asks for (alerts, the metrics summary).
      Topics.eventReplies,
      Topics.logs,
    ],
    // It creates, resizes and deletes task topics, and its bridge serves agents of every workspace.
    agentTasks: ['read', 'write', 'manage'],
    extraGroupPrefixes: ['baton-agent-'],
  },
  'workflow-engine': {
    reads: [
      Topics.workflowCommands,
      Topics.eventsIngress,
      Topics.workflowResults,
      Topics.agentResults,
      Topics.integrationEvents,
      Topics.agentEvents,
      Topics.securityEvents,
      // Stored events a shadow run replays, asked of event-manager (ADR 0039).
      Topics.workflowReplies,
    ],
    writes: [
      Topics.workflowEvents,
      Topics.integrationTasks,
      Topics.agentResults,
      Topics.gatewayReplies,
      Topics.audit,
      Topics.logs,
      // Shadow runs over stored events ask event-manager for them (ADR 0039).
      Topics.eventCommands,
    ],
    agentTasks: ['write'],
    workspaceIngress: true,
  },
  'integration-manager': {
    reads: [Topics.integrationCommands, Topics.integrationTasks, Topics.securityEvents],
    // eventsIngress: a verified inbound hook call becomes an event, as POST /v1/events does.
    writes: [
      Topics.integrationEvents,
      Topics.gatewayReplies,
      Topics.audit,
      Topics.eventsIngress,
      Topics.logs,
      // Connection figures event-manager asks for (alert rules).
      Topics.eventReplies,
      // Answers to agent-manager's MCP tool calls for llm agents (ADR 0040).
      Topics.agentReplies,
    ],
  },
  'event-manager': {
    reads: [
      Topics.eventCommands,
      Topics.workflowEvents,
      Topics.agentEvents,
      Topics.integrationEvents,
      Topics.audit,
      Topics.eventsIngress,
      Topics.securityEvents,
      Topics.eventReplies,
      Topics.logs,
      // Dead letters of every service, and every replica's status: the platform's self-watch.
      ...DLQ_TOPICS,
      Topics.platformStatus,
    ],
    // agentCommands, integrationCommands: alerts and the metrics summary ask agent-manager
    // and integration-manager for agent and connection figures.
    writes: [
      Topics.workflowCommands,
      Topics.gatewayReplies,
      Topics.audit,
      Topics.agentCommands,
      Topics.integrationCommands,
      Topics.logs,
      // Stored events workflow-engine asks for (shadow runs over events).
      Topics.workflowReplies,
    ],
    agentTasks: ['write'],
    workspaceIngress: true,
    tenantTopics: true,
  },
};

export const ACL_SERVICES = Object.keys(SERVICE_ACCESS);

/** Every ACL binding the platform's services need, and nothing more. */
export function serviceAcls(): AclRule[] {
  return ACL_SERVICES.flatMap((service) => aclsOf(service, SERVICE_ACCESS[service]));
}

function aclsOf(service: string, access: ServiceAccess): AclRule[] {
  const principal = servicePrincipal(service);
  const rules: AclRule[] = [
    // Every service ensures the platform topics at start (TopicReconciler): it may see and
    // recreate them, which grants no access to their messages.
    ...topics(
      principal,
      PLATFORM_TOPICS.map((spec) => spec.topic),
      ['describe', 'create'],
    ),
    ...topics(principal, access.reads, ['read']),
    // Every replica reports its readiness and consumer lag (baton.platform.status).
    ...topics(principal, [...access.writes, Topics.dlq(service), Topics.platformStatus], ['write']),
    // Its consumer groups; delete for the gateway's per-instance reply groups it removes on exit.
    groupPrefix(principal, `baton-${service}-`, ['read', 'describe', 'delete']),
    ...(access.extraGroupPrefixes ?? []).map((prefix) =>
      groupPrefix(principal, prefix, ['read', 'describe', 'delete']),
    ),
  ];
  const tasks = access.agentTasks ?? [];
  if (tasks.length > 0) {
    rules.push(
      topicPrefix(principal, AGENT_TASK_TOPIC_PREFIX, [
        'describe',
        ...(tasks.includes('read') ? (['read'] as const) : []),
        ...(tasks.includes('write') ? (['write'] as const) : []),
        ...(tasks.includes('manage') ? (['create', 'alter', 'delete'] as const) : []),
      ]),
    );
  }
  if (access.workspaceIngress) {
    rules.push(topicPrefix(principal, WORKSPACE_INGRESS_PREFIX, ['read', 'describe']));
  }
  if (access.issuesWorkerCredentials) {
    rules.push(
      {
        principal,
        resource: 'cluster',
        pattern: 'literal',
        name: 'kafka-cluster',
        operations: ['alter', 'describe'],
      },
      topicPrefix(principal, WORKSPACE_INGRESS_PREFIX, ['create', 'describe']),
    );
  }
  if (access.tenantTopics) {
    const own = new Set([...access.writes, Topics.dlq(service), Topics.platformStatus]);
    rules.push(
      ...topics(principal, [ANY_TOPIC], ['create', 'write', 'describe']),
      ...topics(
        principal,
        PLATFORM_TOPICS.map((spec) => spec.topic).filter((topic) => !own.has(topic)),
        ['write'],
      ).map((rule) => ({ ...rule, permission: 'deny' as const })),
      { ...topicPrefix(principal, WORKSPACE_INGRESS_PREFIX, ['write']), permission: 'deny' },
    );
  }
  return rules;
}

/**
 * A workspace's agent workers: its own task topics and consumer groups, the
 * result and heartbeat topics, the agents' dead-letter topic, and its own
 * ingress topic; nothing else (no other workspace, no replies, no commands).
 */
export function workerAcls(workspaceId: string): AclRule[] {
  const principal = workerPrincipal(workspaceId);
  return [
    topicPrefix(principal, `${AGENT_TASK_TOPIC_PREFIX}${workspaceId}.`, ['read', 'describe']),
    groupPrefix(principal, `baton-agent-${workspaceId}-`, ['read', 'describe']),
    ...topics(
      principal,
      [
        Topics.agentResults,
        Topics.workflowResults,
        Topics.agentHeartbeats,
        Topics.dlq('agents'),
        Topics.workspaceIngress(workspaceId),
      ],
      ['write'],
    ),
  ];
}
