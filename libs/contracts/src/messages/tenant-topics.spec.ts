import { TENANT_TOPIC_PATTERN, TOPIC_PATTERN } from '../index';

describe('topics a tenant may name as destinations', () => {
  it("refuses the platform's own topics and Kafka's internal ones", () => {
    for (const topic of [
      'baton.gateway.replies',
      'baton.workflow.commands',
      'baton.agent.tasks.acme.echo',
      'baton.events.ingress.acme',
      '__consumer_offsets',
    ]) {
      expect(TOPIC_PATTERN.test(topic)).toBe(true);
      expect(TENANT_TOPIC_PATTERN.test(topic)).toBe(false);
    }
  });

  it('accepts any other Kafka topic name', () => {
    for (const topic of ['orders.eu', 'e2e.tickets-eu.1', 'batons', 'Baton.audit', 'baton']) {
      expect(TENANT_TOPIC_PATTERN.test(topic)).toBe(true);
    }
  });
});
