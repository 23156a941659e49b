import {
  ConnectionRef,
  createEnvelope,
  DomainError,
  Headers,
  Topics,
  type Envelope,
  type ReplyData,
} from '@baton/contracts';
import type { BatonKafka } from './baton-kafka';
import { CommandServer } from './command-server';
import type { ConsumedMessage } from './consumer-spec';
import type { OutgoingMessage } from './outgoing-message';

function command(type: string, requestId: string): ConsumedMessage {
  return {
    envelope: createEnvelope({ type, source: 'test', data: { name: 'orders' }, workspaceId: 'w' }),
    topic: Topics.integrationCommands,
    partition: 0,
    offset: '0',
    key: 'same-connection',
    headers: { [Headers.replyTo]: Topics.agentReplies, [Headers.requestId]: requestId },
  };
}

/** The replies sent so far, as [request id, reply]. */
function serverWithReplies(): { server: CommandServer; replies: [string, ReplyData][] } {
  const replies: [string, ReplyData][] = [];
  const kafka = {
    publish: (messages: OutgoingMessage[]) => {
      for (const m of messages)
        replies.push([String(m.key), (m.envelope as Envelope<ReplyData>).data]);
      return Promise.resolve();
    },
  } as unknown as BatonKafka;
  const server = new CommandServer(kafka, {
    service: 'test',
    groupId: 'test-group',
    topic: Topics.integrationCommands,
    dlqTopic: 'test.dlq',
    log: () => undefined,
  });
  return { server, replies };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CommandServer.handleDetached', () => {
  it('answers the commands after a slow detached one without waiting for it, and the slow one when it ends', async () => {
    const { server, replies } = serverWithReplies();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    server.handleDetached('tool.call', ConnectionRef, async () => {
      await held;
      return 'tool answered';
    });
    server.handle('connection.get', ConnectionRef, () => Promise.resolve('got'));

    // The batch of one partition ends while the tool call is still out.
    await server['dispatchBatch']([command('tool.call', 'r1'), command('connection.get', 'r2')]);
    expect(replies).toEqual([['r2', { ok: true, result: 'got' }]]);

    release();
    await settle();
    expect(replies).toEqual([
      ['r2', { ok: true, result: 'got' }],
      ['r1', { ok: true, result: 'tool answered' }],
    ]);
  });

  it('answers a detached command that fails with its problem, as any command', async () => {
    const { server, replies } = serverWithReplies();
    server.handleDetached('tool.call', ConnectionRef, () =>
      Promise.reject(DomainError.notFound('connection', 'gone')),
    );
    await server['dispatchBatch']([command('tool.call', 'r1')]);
    await settle();
    expect(replies).toHaveLength(1);
    expect(replies[0][1]).toMatchObject({ ok: false, error: { code: 'CONNECTION.NOT_FOUND' } });
  });

  it('holds a batch once every detached slot is taken, until one is free', async () => {
    const { server, replies } = serverWithReplies();
    const releases: (() => void)[] = [];
    server.handleDetached(
      'tool.call',
      ConnectionRef,
      () => new Promise<string>((resolve) => releases.push(() => resolve('done'))),
    );
    server.handle('connection.get', ConnectionRef, () => Promise.resolve('got'));
    const slow = Array.from({ length: 32 }, (_, i) => command('tool.call', `slow-${i}`));
    await server['dispatchBatch'](slow);
    let after = false;
    const next = server['dispatchBatch']([
      command('tool.call', 'one-too-many'),
      command('connection.get', 'behind'),
    ]).then(() => (after = true));
    await settle();
    expect(after).toBe(false);
    releases[0]();
    await next;
    expect(replies.map(([id]) => id)).toEqual(['slow-0', 'behind']);
  });
});
