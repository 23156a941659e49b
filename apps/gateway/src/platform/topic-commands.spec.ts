import { AlertHistoryQuery, UpdateAlertCommand } from '@baton/contracts';
import type { PlatformClient } from './platform-client';
import { TopicCommands } from './topic-commands';

const caller = { principal: 'p', workspaceId: 'w', roles: [], correlationId: 'c' };

describe('TopicCommands', () => {
  const sent: unknown[][] = [];
  const platform = {
    send: async (...args: unknown[]) => {
      sent.push(args);
      return {};
    },
  } as unknown as PlatformClient;
  const commands = new TopicCommands(platform, 'event-commands');

  it('lays the path over the body, and names a body that is not an object', () => {
    expect(
      commands.fields(UpdateAlertCommand, { name: 'other', severity: 'info' }, { name: 'a' }),
    ).toMatchObject({ name: 'a', severity: 'info' });
    expect(() => commands.fields(UpdateAlertCommand, 'text', { name: 'a' })).toThrow(
      expect.objectContaining({ status: 422 }),
    );
  });

  it('checks a read about one resource with its path parameter, keyed by it', async () => {
    await commands.about('alert.history', AlertHistoryQuery, { limit: '5' }, { name: 'a' }, caller);
    expect(sent.at(-1)).toEqual([
      'event-commands',
      'alert.history',
      expect.objectContaining({ name: 'a', limit: 5 }),
      caller,
      'a',
    ]);
    expect(() =>
      commands.about('alert.history', AlertHistoryQuery, { limit: 'lots' }, { name: 'a' }, caller),
    ).toThrow(expect.objectContaining({ status: 422 }));
  });
});
