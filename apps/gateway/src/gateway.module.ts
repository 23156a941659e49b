import {
  CryptoModule,
  HealthController,
  keyringOrExit,
  MetricsController,
  ServiceKitModule,
} from '@baton/service-kit';
import {
  Module,
  type Type,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Logger } from 'pino';
import { AgentsController } from './agents/agents.controller';
import { AgentLifecycleController } from './agents/agent-lifecycle.controller';
import { AgentPullController } from './agents/agent-pull.controller';
import { AgentTasksController } from './agents/agent-tasks.controller';
import { TasksController } from './tasks/tasks.controller';
import { AuditController } from './audit/audit.controller';
import { AuditTrailMiddleware } from './audit/audit-trail.middleware';
import { requestContextMiddleware } from './audit/request-context.middleware';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeyAuthenticator } from './auth/api-key.authenticator';
import { RevocationListener } from './auth/revocation-listener';
import { RevokedCredentials } from './auth/revoked-credentials';
import { AuthGuard } from './auth/auth.guard';
import { SessionSettings } from './auth/session-cookie';
import { SessionAuthenticator } from './auth/session.authenticator';
import { BatonKeys, IdentityProviderKeys } from './auth/jwt-keys';
import { JwtAuthenticator } from './auth/jwt.authenticator';
import { IdentityProvidersController } from './identity-providers/identity-providers.controller';
import { OAuthClientsController } from './oauth/oauth-clients.controller';
import { SigningKeysController } from './oauth/signing-keys.controller';
import { TokenController } from './oauth/token.controller';
import { WellKnownController } from './oauth/well-known.controller';
import { AUTHENTICATORS, type Authenticator } from './auth/authenticator';
import { FailedAuthLimiter } from './auth/failed-auth-limiter';
import { RouteAccessTable } from './auth/route-access';
import { ConnectionsController } from './connections/connections.controller';
import { ReplaysController } from './event-routing/replays.controller';
import { RetentionController } from './event-routing/retention.controller';
import { AlertsController } from './alerts/alerts.controller';
import { MetricsSummaryController } from './alerts/metrics-summary.controller';
import { NotificationChannelsController } from './alerts/notification-channels.controller';
import { RoutesController } from './event-routing/routes.controller';
import { SubscriptionsController } from './event-routing/subscriptions.controller';
import { WorkflowReferences } from './event-routing/workflow-references';
import { TransformsController } from './event-routing/transforms.controller';
import { EventStreamController } from './events/event-stream.controller';
import { EventsController } from './events/events.controller';
import { LogsController } from './logs/logs.controller';
import { HooksController } from './hooks/hooks.controller';
import type { GatewayEnv } from './gateway.env';
import { PlatformClient } from './platform/platform-client';
import { PlatformPingController } from './platform-ping/platform-ping.controller';
import { BatonTools } from './mcp/baton-tools';
import { McpController } from './mcp/mcp.controller';
import { A2aController } from './a2a/a2a.controller';
import { LlmBudgetController } from './agents/llm-budget.controller';
import { RolesController } from './roles/roles.controller';
import { LimitsController } from './rate-limits/limits.controller';
import { WorkerCredentialsController } from './kafka-credentials/worker-credentials.controller';
import { RateLimitInterceptor } from './rate-limits/rate-limit.interceptor';
import { StreamSlots } from './rate-limits/stream-slots';
import { SseStreams } from './streams/sse-streams';
import { UsageBroadcast } from './rate-limits/usage-broadcast';
import { WorkspaceLimitsCache } from './rate-limits/workspace-limits.cache';
import { RunEventsController } from './runs/run-events.controller';
import { RunReplayController } from './runs/run-replay.controller';
import { RunOperationsController } from './runs/run-operations.controller';
import { RunsController } from './runs/runs.controller';
import { WorkflowVersionsController } from './workflows/workflow-versions.controller';
import { WorkflowShadowController } from './workflows/workflow-shadow.controller';
import { WorkflowTestsController } from './workflows/workflow-tests.controller';
import { WorkflowsController } from './workflows/workflows.controller';
import { WorkspacesController } from './workspaces/workspaces.controller';
import { RunAdmissionController } from './workspaces/run-admission.controller';
import { SamlConfigController } from './saml/saml-config.controller';
import { SamlController } from './saml/saml.controller';
import { OidcController } from './oidc/oidc.controller';
import { SecretsController } from './secrets/secrets.controller';

/** Every controller of the gateway; each route must have a line in the permission table. */
export const GATEWAY_CONTROLLERS: Type[] = [
  AgentsController,
  WorkflowVersionsController,
  WorkflowsController,
  WorkflowTestsController,
  WorkflowShadowController,
  RunsController,
  RunOperationsController,
  RunReplayController,
  RunEventsController,
  // Before EventsController: its GET :id would take /v1/events/stream.
  EventStreamController,
  EventsController,
  LogsController,
  ConnectionsController,
  AuditController,
  AgentTasksController,
  AgentPullController,
  AgentLifecycleController,
  TasksController,
  SubscriptionsController,
  TransformsController,
  RoutesController,
  ReplaysController,
  RetentionController,
  PlatformPingController,
  McpController,
  A2aController,
  LlmBudgetController,
  WorkspacesController,
  ApiKeysController,
  RolesController,
  SamlConfigController,
  SamlController,
  OidcController,
  LimitsController,
  RunAdmissionController,
  WorkerCredentialsController,
  TokenController,
  WellKnownController,
  OAuthClientsController,
  SigningKeysController,
  IdentityProvidersController,
  SecretsController,
  HooksController,
  AlertsController,
  NotificationChannelsController,
  MetricsSummaryController,
];

/** Stateless: no database; every route is a command or query over Kafka. */
@Module({})
export class GatewayModule implements NestModule {
  static forEnv(env: GatewayEnv, logger: Logger): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ServiceKitModule.forService('gateway', env, logger),
        // Seals vault secrets before they go on Kafka (SecretsController).
        CryptoModule.forKeyring(keyringOrExit('gateway', env, logger)),
      ],
      controllers: GATEWAY_CONTROLLERS,
      providers: [
        PlatformClient,
        BatonTools,
        AuditTrailMiddleware,
        FailedAuthLimiter,
        WorkflowReferences,
        ApiKeyAuthenticator,
        RevocationListener,
        RevokedCredentials,
        SessionSettings,
        SessionAuthenticator,
        BatonKeys,
        IdentityProviderKeys,
        JwtAuthenticator,
        {
          provide: RouteAccessTable,
          useFactory: () =>
            new RouteAccessTable([...GATEWAY_CONTROLLERS, HealthController, MetricsController]),
        },
        {
          // Tried in order: the first that recognises the credential decides.
          provide: AUTHENTICATORS,
          useFactory: (...authenticators: Authenticator[]) => authenticators,
          inject: [JwtAuthenticator, SessionAuthenticator, ApiKeyAuthenticator],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        // Rate limits count authenticated callers, so they run after the guard.
        WorkspaceLimitsCache,
        UsageBroadcast,
        StreamSlots,
        SseStreams,
        { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestContextMiddleware, AuditTrailMiddleware).forRoutes('*');
  }
}
