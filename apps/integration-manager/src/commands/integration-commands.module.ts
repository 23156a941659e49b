import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { HooksModule } from '../hooks/hooks.module';
import { IntegrationCommandsHandlers } from './integration-commands.handlers';

/** The request/reply entry point; it only routes to the use cases of the features. */
@Module({
  imports: [ConnectionsModule, DeliveriesModule, HooksModule],
  providers: [IntegrationCommandsHandlers],
})
export class IntegrationCommandsModule {}
