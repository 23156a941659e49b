import { PLATFORM_TOPICS, Topics } from '@baton/contracts';
import { workerPrincipal, type AclRule } from './acl-rule';
import { ACL_SERVICES, serviceAcls, workerAcls } from './acl-table';
import { toAclEntries } from './apply-acls';

/**
 * Whether `rules` let `principal` do `operation` on topic `topic` as the broker decides: some
 * allow matches (literal, the '*' wildcard, or prefix) and no deny does.
 */
function allows(rules: AclRule[], principal: string, operation: string, topic: string): boolean {
  const matching = rules.filter(
    (rule) =>
      rule.principal === principal &&
      rule.resource === 'topic' &&
      (rule.pattern === 'literal'
        ? rule.name === topic || rule.name === '*'
        : topic.startsWith(rule.name)) &&
      rule.operations.includes(operation as never),
  );
  return (
    matching.some((rule) => rule.permission !== 'deny') &&
    !matching.some((rule) => rule.permission === 'deny')
  );
}

describe('ACL table', () => {
  const services = serviceAcls();

  it('names the six services the platform launcher starts', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SERVICES } = require('../../../../scripts/platform/services') as {
      SERVICES: { name: string }[];
    };
    expect([...ACL_SERVICES].sort()).toEqual(SERVICES.map((s) => s.name).sort());
  });

  it('lets each service write its own dead-letter topic and no other', () => {
    for (const service of ACL_SERVICES) {
      for (const other of ACL_SERVICES) {
        expect(allows(services, `User:baton-${service}`, 'write', Topics.dlq(other))).toBe(
          service === other,
        );
      }
    }
  });

  it('lets the gateway write commands (event-manager too, for routes that start workflows) and only it read replies', () => {
    for (const service of ACL_SERVICES) {
      const principal = `User:baton-${service}`;
      expect(allows(services, principal, 'write', Topics.workflowCommands)).toBe(
        service === 'gateway' || service === 'event-manager', // routes start workflows
      );
      expect(allows(services, principal, 'read', Topics.gatewayReplies)).toBe(
        service === 'gateway',
      );
      // agent-manager asks security-manager for vault secrets, answered sealed on its own topic.
      expect(allows(services, principal, 'write', Topics.securityCommands)).toBe(
        service === 'gateway' || service === 'agent-manager',
      );
      expect(allows(services, principal, 'read', Topics.agentReplies)).toBe(
        service === 'agent-manager',
      );
      // ...and integration-manager for llm agents' MCP tool calls (ADR 0040).
      expect(allows(services, principal, 'write', Topics.integrationCommands)).toBe(
        ['gateway', 'agent-manager', 'event-manager'].includes(service),
      );
      expect(allows(services, principal, 'write', Topics.agentReplies)).toBe(
        service === 'security-manager' || service === 'integration-manager',
      );
      // Usage counts of the gateway replicas are theirs alone: no service reads or forges them.
      expect(allows(services, principal, 'read', Topics.gatewayUsage)).toBe(service === 'gateway');
      expect(allows(services, principal, 'write', Topics.gatewayUsage)).toBe(service === 'gateway');
    }
  });

  it('lets only security-manager write revocations and only the gateway read them', () => {
    for (const service of ACL_SERVICES) {
      const principal = `User:baton-${service}`;
      expect(allows(services, principal, 'write', Topics.securityRevocations)).toBe(
        service === 'security-manager',
      );
      expect(allows(services, principal, 'read', Topics.securityRevocations)).toBe(
        service === 'gateway',
      );
    }
  });

  it('lets only security-manager alter the cluster (worker SCRAM users and their ACLs)', () => {
    const clusterRules = services.filter((rule) => rule.resource === 'cluster');
    expect(clusterRules.map((rule) => [rule.principal, rule.operations])).toEqual([
      ['User:baton-security-manager', ['alter', 'describe']],
    ]);
    for (const service of ACL_SERVICES) {
      const principal = `User:baton-${service}`;
      // event-manager creates any topic a tenant names as a destination (writing there is denied).
      expect(allows(services, principal, 'create', Topics.workspaceIngress('acme'))).toBe(
        service === 'security-manager' || service === 'event-manager',
      );
      // Creating a workspace's ingress topic is not writing to it.
      expect(allows(services, principal, 'write', Topics.workspaceIngress('acme'))).toBe(false);
    }
  });

  it('lets every service see and recreate the platform topics, which grants no reading', () => {
    for (const { topic } of PLATFORM_TOPICS) {
      expect(allows(services, 'User:baton-integration-manager', 'create', topic)).toBe(true);
    }
    expect(allows(services, 'User:baton-integration-manager', 'read', Topics.audit)).toBe(false);
  });

  it("lets event-manager deliver to a tenant's topic but never to another platform topic or a workspace's ingress", () => {
    const me = 'User:baton-event-manager';
    for (const operation of ['create', 'write']) {
      expect(allows(services, me, operation, 'acme.orders.shipped')).toBe(true);
    }
    for (const topic of [
      Topics.workflowCommands,
      Topics.gatewayReplies,
      Topics.dlq('event-manager'),
    ]) {
      expect(allows(services, me, 'write', topic)).toBe(true);
    }
    // baton.audit is written by every service (its own changes, ADR 0020), so it is not here.
    for (const topic of [
      Topics.securityCommands,
      Topics.eventCommands,
      Topics.agentResults,
      Topics.eventsIngress,
      Topics.workspaceIngress('acme'),
      Topics.dlq('gateway'),
    ]) {
      expect(allows(services, me, 'write', topic)).toBe(false);
    }
    // No other service writes a topic outside the table.
    for (const service of ACL_SERVICES.filter((s) => s !== 'event-manager')) {
      expect(allows(services, `User:baton-${service}`, 'write', 'acme.orders.shipped')).toBe(false);
    }
  });

  describe('a workspace worker', () => {
    const rules = workerAcls('acme');
    const me = workerPrincipal('acme');

    it('reads its own workspace task topics only', () => {
      expect(allows(rules, me, 'read', Topics.agentTasks('acme', 'classifier'))).toBe(true);
      expect(allows(rules, me, 'read', Topics.agentTasks('other', 'classifier'))).toBe(false);
      // "acme" is not a prefix match for "acme-corp": the topic prefix ends in a dot.
      expect(allows(rules, me, 'read', Topics.agentTasks('acme-corp', 'classifier'))).toBe(false);
    });

    it('writes results, heartbeats and its own ingress, and nothing else', () => {
      for (const topic of [
        Topics.agentResults,
        Topics.workflowResults,
        Topics.agentHeartbeats,
        Topics.workspaceIngress('acme'),
      ]) {
        expect(allows(rules, me, 'write', topic)).toBe(true);
      }
      for (const topic of [
        Topics.gatewayReplies,
        Topics.workflowCommands,
        Topics.agentCommands,
        Topics.securityCommands,
        Topics.eventsIngress,
        Topics.workspaceIngress('other'),
        Topics.agentTasks('acme', 'classifier'),
      ]) {
        expect(allows(rules, me, 'write', topic)).toBe(false);
      }
    });

    it('becomes one ALLOW binding per operation', () => {
      const entries = toAclEntries(rules);
      expect(entries).toHaveLength(rules.reduce((n, rule) => n + rule.operations.length, 0));
      expect(new Set(entries.map((entry) => entry.principal))).toEqual(new Set([me]));
    });
  });
});
