import { createEnvelope, Topics } from '@baton/contracts';
import { runInCommand } from '@baton/kafka';
import { auditMessage } from './audit';

const command = createEnvelope({
  type: 'baton.agent.register',
  source: 'gateway',
  workspaceId: 'acme',
  correlationId: 'req-1',
  data: {},
  principal: 'apikey:ci',
  credential: 'api-key:k1',
});

describe('auditMessage', () => {
  it('attributes the change to the command being handled', () => {
    const message = runInCommand(command, () =>
      auditMessage('agent-manager', { action: 'agent.register', target: 'agent/a' }),
    );
    expect(message.topic).toBe(Topics.audit);
    expect(message.key).toBe('acme');
    expect(message.envelope).toMatchObject({
      workspaceid: 'acme',
      correlationid: 'req-1',
      causationid: command.id,
      source: 'agent-manager',
      data: {
        actor: 'apikey:ci',
        credential: 'api-key:k1',
        action: 'agent.register',
        resource: 'agent/a',
        outcome: 'success',
      },
    });
  });

  it('names the platform itself when no caller asked, and needs a workspace then', () => {
    expect(
      auditMessage('event-manager', { action: 'x.y', target: 't', workspaceId: 'acme' }).envelope
        .data,
    ).toMatchObject({ actor: 'system:event-manager' });
    expect(() => auditMessage('event-manager', { action: 'x.y', target: 't' })).toThrow(
      /no workspace/,
    );
  });
});
