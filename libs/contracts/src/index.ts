// Decorator metadata (class-transformer @Type) must exist before any DTO class loads.
import 'reflect-metadata';

export * from './envelope/envelope';
export * from './envelope/envelope.schema';
export * from './topics';
export * from './errors';
export * from './validation';
export * from './message-types';
export * from './messages/reply';
export * from './messages/agent.messages';
export * from './messages/workflow.messages';
export * from './messages/integration.messages';
export * from './messages/connectors.messages';
export * from './messages/security.messages';
export * from './messages/event.messages';
export * from './messages/security-integration.extra';
export * from './topic-specs';
export * from './pagination';
export * from './messages/workflow-ops.messages';
export * from './messages/workflow-flow.messages';
export * from './messages/agent-tasks.messages';
export * from './messages/event-routing.messages';
export * from './messages/platform.messages';
export * from './forbidden-input';
export * from './security/permissions';
