import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { ConnectionMetricsSampleHandler } from './connection-metrics-sample.handler';

/** Answers event-manager's questions about connections' calls and breakers (alert rules). */
@Module({ imports: [ConnectionsModule], providers: [ConnectionMetricsSampleHandler] })
export class ConnectionFiguresModule {}
