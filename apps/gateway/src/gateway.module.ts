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
import { APP_GUARD } from '@nestjs/core';
import type { Logger } from 'pino';
import { AgentsController } from './agents/agents.controller';
import { AgentLifecycleController } from './agents/agent-lifecycle.controller';
import { AgentTasksController } from './agents/agent-tasks.controller';
import { TasksController } from './tasks/tasks.controller';
import { AuditController } from './audit/audit.controller';
import { AuditTrailMiddleware } from './audit/audit-trail.middleware';
import { requestContextMiddleware } from './audit/request-context.middleware';
import { ApiKeyAuthenticator } from './auth/api-key.authenticator';
import { AuthGuard } from './auth/auth.guard';
import { AUTHENTICATORS, type Authenticator } from './auth/authenticator';
import { RouteAccessTable } from './auth/route-access';
import { ConnectionsController } from './connections/connections.controller';
import { ReplaysController } from './event-routing/replays.controller';
import { RetentionController } from './event-routing/retention.controller';
import { RoutesController } from './event-routing/routes.controller';
import { SubscriptionsController } from './event-routing/subscriptions.controller';
import { WorkflowReferences } from './event-routing/workflow-references';
import { TransformsController } from './event-routing/transforms.controller';
import { EventsController } from './events/events.controller';
import type { GatewayEnv } from './gateway.env';
import { PlatformClient } from './platform/platform-client';
import { PlatformPingController } from './platform/platform-ping.controller';
import { RunEventsController } from './runs/run-events.controller';
import { RunOperationsController } from './runs/run-operations.controller';
import { RunsController } from './runs/runs.controller';
import { WorkflowVersionsController } from './workflows/workflow-versions.controller';
import { WorkflowTestsController } from './workflows/workflow-tests.controller';
import { WorkflowsController } from './workflows/workflows.controller';
import { SecretsController } from './secrets/secrets.controller';

/** Every controller of the gateway; each route must have a line in the permission table. */
export const GATEWAY_CONTROLLERS: Type[] = [
  AgentsController,
  WorkflowVersionsController,
  WorkflowsController,
  WorkflowTestsController,
  RunsController,
  RunOperationsController,
  RunEventsController,
  EventsController,
  ConnectionsController,
  AuditController,
  AgentTasksController,
  AgentLifecycleController,
  TasksController,
  SubscriptionsController,
  TransformsController,
  RoutesController,
  ReplaysController,
  RetentionController,
  PlatformPingController,
  SecretsController,
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
        AuditTrailMiddleware,
        WorkflowReferences,
        ApiKeyAuthenticator,
        {
          provide: RouteAccessTable,
          useFactory: () =>
            new RouteAccessTable([...GATEWAY_CONTROLLERS, HealthController, MetricsController]),
        },
        {
          // Tried in order: the first that recognises the credential decides.
          provide: AUTHENTICATORS,
          useFactory: (...authenticators: Authenticator[]) => authenticators,
          inject: [ApiKeyAuthenticator],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestContextMiddleware, AuditTrailMiddleware).forRoutes('*');
  }
}
