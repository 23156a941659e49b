import { Injectable } from '@nestjs/common';
import type { Connector } from './connector';
import { WebhookConnector } from './webhook.connector';

/** Every connector this service ships, by kind (`connector:` of a connection). */
@Injectable()
export class ConnectorRegistry {
  private readonly byKind = new Map<string, Connector>();

  constructor() {
    for (const connector of [new WebhookConnector()]) this.byKind.set(connector.kind, connector);
  }

  get(kind: string): Connector | undefined {
    return this.byKind.get(kind);
  }
}
