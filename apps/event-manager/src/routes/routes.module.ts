import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { RouteCommandsHandlers } from './route-commands.handlers';

@Module({
  imports: [RoutingModule],
  providers: [RouteCommandsHandlers],
  exports: [RouteCommandsHandlers],
})
export class RoutesModule {}
