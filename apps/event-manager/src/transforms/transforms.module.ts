import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { TransformCommandsHandlers } from './transform-commands.handlers';

@Module({
  imports: [RoutingModule],
  providers: [TransformCommandsHandlers],
  exports: [TransformCommandsHandlers],
})
export class TransformsModule {}
