/**
 * Every envelope `type` Baton produces, in one place. Commands and queries are
 * request/reply (answered with a `<type>.reply`); events are facts.
 */
export const MessageTypes = {
  agentRegister: 'baton.agent.register',
  agentGet: 'baton.agent.get',
  agentList: 'baton.agent.list',
  agentRegistered: 'baton.agent.registered',
  agentTask: 'baton.agent.task',
  agentResult: 'baton.agent.result',
  agentHeartbeat: 'baton.agent.heartbeat',
  workflowCreate: 'baton.workflow.create',
  workflowGet: 'baton.workflow.get',
  workflowList: 'baton.workflow.list',
  runStart: 'baton.run.start',
  runGet: 'baton.run.get',
  runList: 'baton.run.list',
  connectionCreate: 'baton.connection.create',
  connectionList: 'baton.connection.list',
  connectionGet: 'baton.connection.get',
  connectionUpdate: 'baton.connection.update',
  connectionDelete: 'baton.connection.delete',
  connectionTest: 'baton.connection.test',
  connectionHealth: 'baton.connection.health',
  connectionOperations: 'baton.connection.operations',
  /** agent-manager → integration-manager: an `llm` agent calls an MCP tool of a connection. */
  connectionToolCall: 'baton.connection.tool.call',
  connectorList: 'baton.connector.list',
  hookReceive: 'baton.hook.receive',
  deliveryList: 'baton.delivery.list',
  actionTask: 'baton.integration.action',
  actionResult: 'baton.integration.result',
  apiKeyVerify: 'baton.apikey.verify',
  apiKeyCreate: 'baton.apikey.create',
  apiKeyList: 'baton.apikey.list',
  apiKeyRevoke: 'baton.apikey.revoke',
  apiKeyRotate: 'baton.apikey.rotate',
  workspaceCreate: 'baton.workspace.create',
  workspaceList: 'baton.workspace.list',
  workspaceGet: 'baton.workspace.get',
  workspaceUpdate: 'baton.workspace.update',
  workspaceDelete: 'baton.workspace.delete',
  workspacePurge: 'baton.workspace.purge',
  /** On baton.security.revocations: credentials every gateway must forget now. */
  credentialsRevoked: 'baton.credentials.revoked',
  /** On baton.security.events: a workspace was created, deleted or purged. */
  workspaceChanged: 'baton.workspace.changed',
  auditList: 'baton.audit.list',
  auditEntry: 'baton.audit.entry',
  samlConfigPut: 'baton.saml.config.put',
  samlConfigGet: 'baton.saml.config.get',
  samlConfigDelete: 'baton.saml.config.delete',
  samlMetadata: 'baton.saml.metadata',
  samlLogin: 'baton.saml.login',
  samlAcs: 'baton.saml.acs',
  /** Console sign-in through a workspace's OpenID provider (ADR 0037). */
  oidcLogin: 'baton.oidc.login',
  oidcCallback: 'baton.oidc.callback',
  sessionVerify: 'baton.session.verify',
  sessionDelete: 'baton.session.delete',
  /** A workspace's rate limits and stream cap (security-manager); gateways enforce them. */
  limitsGet: 'baton.limits.get',
  limitsSet: 'baton.limits.set',
  limitsReset: 'baton.limits.reset',
  /** A workspace's agent-worker Kafka credential (security-manager, on a SASL broker). */
  workerCredentialIssue: 'baton.worker-credential.issue',
  workerCredentialRevoke: 'baton.worker-credential.revoke',
  /** A gateway replica's counts for the current window, on baton.gateway.usage. */
  gatewayUsage: 'baton.gateway.usage.reported',
  auditVerify: 'baton.audit.verify',
  secretPut: 'baton.secret.put',
  secretList: 'baton.secret.list',
  secretDelete: 'baton.secret.delete',
  /** A service (agent-manager) asks for a secret of a workspace; the answer is sealed. */
  secretResolve: 'baton.secret.resolve',
  eventList: 'baton.event.list',
  logRecords: 'baton.log.records',
  logList: 'baton.log.list',
  eventGet: 'baton.event.get',
  /** The events committed after a stream cursor, oldest first (the gateway's event stream). */
  eventFollow: 'baton.event.follow',
  /** Stored events as they arrived (envelopes), by id or type and time: a shadow run's source. */
  eventShadowSources: 'baton.event.shadow-sources',
  reply: 'baton.reply',
  /** Answered by every service's command server (service-kit), whatever its features. */
  platformPing: 'baton.platform.ping',
} as const;

/** Workflow lifecycle event types (issue: every transition is an event keyed by run id). */
export const WorkflowEventTypes = {
  /** A start its workspace had no room for (ADR 0041): stored `queued`; `started` follows on admission. */
  runQueued: 'workflow.run.queued',
  runStarted: 'workflow.run.started',
  runCompleted: 'workflow.run.completed',
  runFailed: 'workflow.run.failed',
  stepStarted: 'workflow.step.started',
  stepCompleted: 'workflow.step.completed',
  stepFailed: 'workflow.step.failed',
} as const;
