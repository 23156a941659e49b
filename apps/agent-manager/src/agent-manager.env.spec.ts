import { loadEnv } from '@baton/service-kit';
import { AgentManagerEnv } from './agent-manager.env';

describe('agent-manager configuration', () => {
  const saved = process.env.CALLBACK_ALLOW_PRIVATE_NETWORKS;
  afterEach(() => {
    if (saved === undefined) delete process.env.CALLBACK_ALLOW_PRIVATE_NETWORKS;
    else process.env.CALLBACK_ALLOW_PRIVATE_NETWORKS = saved;
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['TRUE', true],
  ])('reads CALLBACK_ALLOW_PRIVATE_NETWORKS=%s as %s', (text, expected) => {
    if (text === undefined) delete process.env.CALLBACK_ALLOW_PRIVATE_NETWORKS;
    else process.env.CALLBACK_ALLOW_PRIVATE_NETWORKS = text;
    expect(loadEnv(AgentManagerEnv, 'agent-manager', 3002).CALLBACK_ALLOW_PRIVATE_NETWORKS).toBe(
      expected,
    );
  });
});
