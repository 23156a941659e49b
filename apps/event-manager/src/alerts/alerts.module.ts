import { Module } from '@nestjs/common';
import { EventsRepository } from '../event-store/events.repository';
import { ChannelCommandsHandlers } from '../notifications/channel-commands.handlers';
import { ChannelSenders } from '../notifications/channel-senders';
import { ChannelsRepository } from '../notifications/channels.repository';
import { NotificationWakeup } from '../notifications/notification-wakeup';
import { NotificationSender } from '../notifications/notification.sender';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { SendNotificationsUseCase } from '../notifications/send-notifications.usecase';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { PlatformStatusModule } from '../platform-status/platform-status.module';
import { RoutingModule } from '../routing/routing.module';
import { FiguresClient } from './figures.client';
import { AlertCommandsHandlers } from './alert-commands.handlers';
import { AlertValues } from './alert-values';
import { AlertEvaluator } from './alert.evaluator';
import { AlertsRepository } from './alerts.repository';
import { ErrorHandlerReactions } from './error-handler-reactions';
import { EvaluateAlertsUseCase } from './evaluate-alerts.usecase';
import { IncidentsRepository } from './incidents.repository';
import { MetricsSummaryHandler } from './metrics-summary.handlers';
import { PlatformEvents } from './platform-events';
import { SelfWatchRules } from './self-watch-rules';
import { WorkflowFiguresRepository } from './workflow-figures.repository';

/**
 * Alert rules and their evaluator, notification channels and the sender,
 * incidents and the workflow error-handler reactions, the metrics summary.
 */
@Module({
  // Not EventsModule: the store imports this module (its events cause notifications).
  imports: [RoutingModule, DeadLettersModule, PlatformStatusModule],
  providers: [
    EventsRepository,
    FiguresClient,
    AlertsRepository,
    AlertValues,
    AlertCommandsHandlers,
    AlertEvaluator,
    EvaluateAlertsUseCase,
    WorkflowFiguresRepository,
    MetricsSummaryHandler,
    IncidentsRepository,
    PlatformEvents,
    SelfWatchRules,
    ErrorHandlerReactions,
    ChannelsRepository,
    ChannelCommandsHandlers,
    ChannelSenders,
    NotificationsRepository,
    NotificationWakeup,
    NotificationSender,
    SendNotificationsUseCase,
  ],
  exports: [
    AlertCommandsHandlers,
    ChannelCommandsHandlers,
    MetricsSummaryHandler,
    ErrorHandlerReactions,
    NotificationWakeup,
  ],
})
export class AlertsModule {}
