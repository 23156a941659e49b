import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { ConnectorsModule } from '../connectors/connectors.module';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { ActionTasksConsumer } from './action-tasks.consumer';
import { ExecuteActionUseCase } from './execute-action.usecase';

@Module({
  imports: [ConnectionsModule, DeliveriesModule, ConnectorsModule],
  providers: [ExecuteActionUseCase, ActionTasksConsumer],
})
export class ActionsModule {}
