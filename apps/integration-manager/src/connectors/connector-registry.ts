import { OutboundHttp } from '@baton/service-kit';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Connector } from './connector';
import { WebhookConnector } from './webhook.connector';

/** Every connector this service ships, by kind (`connector:` of a connection). */
@Injectable()
export class ConnectorRegistry implements OnModuleDestroy {
  private readonly byKind = new Map<string, Connector>();
  private readonly http: OutboundHttp;

  constructor(config: ConfigService) {
    this.http = new OutboundHttp({
      allowPrivateNetworks: config.get<boolean>('WEBHOOK_ALLOW_PRIVATE_NETWORKS') === true,
    });
    for (const connector of [new WebhookConnector({ http: this.http })]) {
      this.byKind.set(connector.kind, connector);
    }
  }

  get(kind: string): Connector | undefined {
    return this.byKind.get(kind);
  }

  async onModuleDestroy(): Promise<void> {
    await this.http.close();
  }
}
