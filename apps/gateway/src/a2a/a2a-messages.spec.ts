import type { Message } from '@a2a-js/sdk';
import type { AgentView, TaskView } from '@baton/contracts';
import { agentCard, completedTask, inputOf, taskOf } from './a2a-messages';

const message = (parts: Message['parts']): Message => ({
  kind: 'message',
  role: 'user',
  messageId: 'm1',
  parts,
});

describe('A2A messages of Baton agents', () => {
  it('publishes a card whose endpoint is the agent under /a2a', () => {
    const agent = {
      name: 'greeter',
      description: null,
      capabilities: ['greeting'],
      version: 3,
    } as unknown as AgentView;
    const card = agentCard(agent, 'https://baton.example.com');
    expect(card).toMatchObject({
      name: 'greeter',
      url: 'https://baton.example.com/a2a/greeter',
      version: '3',
      preferredTransport: 'JSONRPC',
      capabilities: { streaming: false, pushNotifications: false },
      security: [{ bearer: [] }],
    });
    expect(card.skills[0]).toMatchObject({ id: 'greeter', tags: ['greeting'] });
  });

  it('takes the input from the one data part, else from the text (JSON when it parses)', () => {
    expect(inputOf(message([{ kind: 'data', data: { name: 'Ada' } }]))).toEqual({ name: 'Ada' });
    expect(
      inputOf(
        message([
          { kind: 'text', text: 'ignored' },
          { kind: 'data', data: { n: 1 } },
        ]),
      ),
    ).toEqual({ n: 1 });
    expect(inputOf(message([{ kind: 'text', text: '{"n":2}' }]))).toEqual({ n: 2 });
    expect(inputOf(message([{ kind: 'text', text: 'plain words' }]))).toBe('plain words');
  });

  it('answers the output as one data part, wrapping what is not an object', () => {
    expect(completedTask('t1', 'c1', { ok: true }).artifacts?.[0].parts).toEqual([
      { kind: 'data', data: { ok: true } },
    ]);
    expect(completedTask('t1', 'c1', 'text').artifacts?.[0].parts).toEqual([
      { kind: 'data', data: { output: 'text' } },
    ]);
  });

  it('maps Baton task states to A2A states', () => {
    const task = (status: TaskView['status'], extra: Partial<TaskView> = {}) =>
      taskOf({
        id: 't1',
        agent: 'greeter',
        status,
        output: null,
        error: null,
        ...extra,
      } as TaskView);
    expect(task('running').status.state).toBe('working');
    expect(task('completed', { output: { ok: 1 } })).toMatchObject({
      status: { state: 'completed' },
      artifacts: [{ parts: [{ kind: 'data', data: { ok: 1 } }] }],
    });
    const failed = task('failed', { error: { type: 'timeout', message: 'too slow' } });
    expect(failed.status.state).toBe('failed');
    expect(failed.status.message?.parts).toEqual([{ kind: 'text', text: 'timeout: too slow' }]);
  });
});
