import { Module } from '@nestjs/common';
import { ConnectionFiguresRecorder } from './connection-figures.recorder';
import { ConnectorRegistry } from './connector-registry';

@Module({
  providers: [ConnectorRegistry, ConnectionFiguresRecorder],
  exports: [ConnectorRegistry],
})
export class ConnectorsModule {}
