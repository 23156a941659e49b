import { Module } from '@nestjs/common';
import { ConnectorsModule } from '../connectors/connectors.module';
import { ConnectionsRepository } from './connections.repository';
import { CreateConnectionUseCase } from './create-connection.usecase';

@Module({
  imports: [ConnectorsModule],
  providers: [ConnectionsRepository, CreateConnectionUseCase],
  exports: [ConnectionsRepository, CreateConnectionUseCase],
})
export class ConnectionsModule {}
