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
  connectorList: 'baton.connector.list',
  deliveryList: 'baton.delivery.list',
  actionTask: 'baton.integration.action',
  actionResult: 'baton.integration.result',
  apiKeyVerify: 'baton.apikey.verify',
  auditList: 'baton.audit.list',
  auditEntry: 'baton.audit.entry',
  eventList: 'baton.event.list',
  eventGet: 'baton.event.get',
  reply: 'baton.reply',
  /** Answered by every service's command server (service-kit), whatever its features. */
  platformPing: 'baton.platform.ping',
} as const;

/** Workflow lifecycle event types (issue: every transition is an event keyed by run id). */
export const WorkflowEventTypes = {
  runStarted: 'workflow.run.started',
  runCompleted: 'workflow.run.completed',
  runFailed: 'workflow.run.failed',
  stepStarted: 'workflow.step.started',
  stepCompleted: 'workflow.step.completed',
  stepFailed: 'workflow.step.failed',
} as const;
