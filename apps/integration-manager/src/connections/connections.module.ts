import { Module } from '@nestjs/common';
import { ConnectorsModule } from '../connectors/connectors.module';
import { ConnectionSecrets } from './connection-secrets';
import { ConnectionsRepository } from './connections.repository';
import { CreateConnectionUseCase } from './create-connection.usecase';
import { DeleteConnectionUseCase } from './delete-connection.usecase';
import { TestConnectionUseCase } from './test-connection.usecase';
import { UpdateConnectionUseCase } from './update-connection.usecase';

const USE_CASES = [
  CreateConnectionUseCase,
  UpdateConnectionUseCase,
  DeleteConnectionUseCase,
  TestConnectionUseCase,
];

@Module({
  imports: [ConnectorsModule],
  providers: [ConnectionsRepository, ConnectionSecrets, ...USE_CASES],
  exports: [ConnectionsRepository, ConnectionSecrets, ...USE_CASES, ConnectorsModule],
})
export class ConnectionsModule {}
