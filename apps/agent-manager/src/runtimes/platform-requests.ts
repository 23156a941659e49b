import { Topics } from '@baton/contracts';
import { BatonKafka, type RequestOptions } from '@baton/kafka';
import { Readiness, ServiceRequests } from '@baton/service-kit';
import { Inject, Injectable } from '@nestjs/common';

/**
 * agent-manager's one request/reply client (answers on baton.agent.replies):
 * vault secrets from security-manager, and the MCP tools of llm agents from
 * integration-manager. One consumer of the reply topic per process, however
 * many features ask.
 */
@Injectable()
export class PlatformRequests extends ServiceRequests {
  constructor(@Inject(BatonKafka) kafka: BatonKafka, @Inject(Readiness) readiness: Readiness) {
    super(kafka, readiness, 'vault-replies', Topics.agentReplies, 'baton-agent-manager-replies-');
  }

  request<T>(topic: string, type: string, data: unknown, options: RequestOptions): Promise<T> {
    return this.client.request<T>(topic, type, data, options);
  }
}
