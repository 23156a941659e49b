import { Module } from '@nestjs/common';
import { ConnectionFiguresRecorder } from './connection-figures.recorder';
import { ConnectionFiguresRepository } from './connection-figures.repository';
import { ConnectorRegistry } from './connector-registry';

@Module({
  providers: [ConnectorRegistry, ConnectionFiguresRepository, ConnectionFiguresRecorder],
  exports: [ConnectorRegistry, ConnectionFiguresRepository],
})
export class ConnectorsModule {}
