import type { KafkaMessage } from 'kafkajs';
import { readDeadLetter } from './dead-letter-record';

function message(value: string | null, headers: Record<string, string> = {}): KafkaMessage {
  return {
    key: null,
    value: value === null ? null : Buffer.from(value),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
    offset: '7',
    timestamp: '1765000000000',
    attributes: 0,
  } as KafkaMessage;
}

describe('reading a dead letter', () => {
  it('takes the reason, kind and source from the headers, the workspace from the envelope', () => {
    const letter = readDeadLetter(
      message(JSON.stringify({ workspaceid: 'acme', type: 'x' }), {
        'baton-dlq-reason': 'invalid envelope: id',
        'baton-dlq-kind': 'unreadable',
        'baton-dlq-source-topic': 'baton.workflow.events',
      }),
      'baton.dlq.event-manager',
      2,
    );
    expect(letter).toEqual({
      dlqTopic: 'baton.dlq.event-manager',
      partition: 2,
      offset: '7',
      workspaceId: 'acme',
      kind: 'unreadable',
      reason: 'invalid envelope: id',
      sourceTopic: 'baton.workflow.events',
      deadAt: new Date(1765000000000),
    });
  });

  it('counts what is not JSON, of no workspace, and never throws', () => {
    const letter = readDeadLetter(message('\u0000garbage'), 'baton.dlq.gateway', 0);
    expect(letter).toMatchObject({ workspaceId: null, reason: 'no reason given', kind: null });
    expect(readDeadLetter(message(null), 'baton.dlq.gateway', 0).workspaceId).toBeNull();
    expect(
      readDeadLetter(message(JSON.stringify({ workspaceid: 'Not A Slug!' })), 'baton.dlq.x', 0)
        .workspaceId,
    ).toBeNull();
  });

  it("trusts a workspace's topic over what the message claims", () => {
    const ingress = readDeadLetter(
      message(JSON.stringify({ workspaceid: 'victim' }), {
        'baton-dlq-source-topic': 'baton.events.ingress.acme',
      }),
      'baton.dlq.event-manager',
      0,
    );
    expect(ingress.workspaceId).toBe('acme');
    // A worker's dead letter counts only through its task topic, never by its claim.
    const claimed = readDeadLetter(
      message(JSON.stringify({ workspaceid: 'victim' })),
      'baton.dlq.agents',
      0,
    );
    expect(claimed.workspaceId).toBeNull();
    const task = readDeadLetter(
      message(JSON.stringify({ workspaceid: 'victim' }), {
        'baton-dlq-source-topic': 'baton.agent.tasks.acme.classifier',
      }),
      'baton.dlq.agents',
      0,
    );
    expect(task.workspaceId).toBe('acme');
  });
});
