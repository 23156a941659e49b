import { Module } from '@nestjs/common';
import { ConnectionMetricsSampleHandler } from './connection-metrics-sample.handler';

/** Answers event-manager's questions about connections' calls and breakers (alert rules). */
@Module({ providers: [ConnectionMetricsSampleHandler] })
export class ConnectionFiguresModule {}
