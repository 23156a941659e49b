import { isTenantTopic } from '../index';

describe('topics a tenant may name as destinations', () => {
  it("refuses the platform's own topics and Kafka's internal ones", () => {
    for (const topic of [
      'baton.gateway.replies',
      'baton.workflow.commands',
      'baton.agent.tasks.acme.echo',
      'baton.events.ingress.acme',
      '__consumer_offsets',
    ]) {
      expect(isTenantTopic(topic)).toBe(false);
    }
  });

  it('accepts any other Kafka topic name, and nothing that is not one', () => {
    for (const topic of ['orders.eu', 'e2e.tickets-eu.1', 'batons', 'Baton.audit', 'baton']) {
      expect(isTenantTopic(topic)).toBe(true);
    }
    expect(isTenantTopic('has space')).toBe(false);
    expect(isTenantTopic(42)).toBe(false);
  });
});
