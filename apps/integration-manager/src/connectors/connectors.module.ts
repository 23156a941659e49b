import { Module } from '@nestjs/common';
import { ConnectorRegistry } from './connector-registry';

@Module({ providers: [ConnectorRegistry], exports: [ConnectorRegistry] })
export class ConnectorsModule {}
