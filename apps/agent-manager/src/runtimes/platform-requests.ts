import { Topics } from '@baton/contracts';
import { BatonKafka, RequestClient, type RequestOptions } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

/**
 * agent-manager's one request/reply client (answers on baton.agent.replies):
 * vault secrets from security-manager, and the MCP tools of llm agents from
 * integration-manager. One consumer of the reply topic per process, however
 * many features ask.
 */
@Injectable()
export class PlatformRequests implements OnModuleInit, OnModuleDestroy {
  private readonly client: RequestClient;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {
    this.client = new RequestClient(kafka, Topics.agentReplies, 'baton-agent-manager-replies-');
  }

  async onModuleInit(): Promise<void> {
    this.readiness.register('vault-replies', () => this.client.isReady);
    await this.client.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.stop();
  }

  request<T>(topic: string, type: string, data: unknown, options: RequestOptions): Promise<T> {
    return this.client.request<T>(topic, type, data, options);
  }
}
