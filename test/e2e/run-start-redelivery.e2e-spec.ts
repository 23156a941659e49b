import { MessageTypes, Topics, createEnvelope, type StartRunCommand } from '@baton/contracts';
import type { BatonKafka } from '@baton/kafka';
import { api, eventually, sdk } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { connectedBatonKafka } from './support/test-messages';

/**
 * Regression (found by the fault suite): a run start command without an
 * Idempotency-Key that the engine handled, then received again because it was
 * killed before committing the offset, started a second run. The same message
 * twice is one request, and must start one run.
 */
describe('a run start command delivered twice', () => {
  const workflow = uniqueName('redelivered-start');
  let batonKafka: BatonKafka;

  beforeAll(async () => {
    const orchestrate = sdk();
    await orchestrate.registerAgent({ name: `${workflow}-agent`, type: 'worker' });
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [{ name: 'only', agent: `${workflow}-agent`, input: '${input}' }],
    });
    batonKafka = await connectedBatonKafka('redelivered-start');
  });

  afterAll(async () => {
    await batonKafka.disconnect();
  });

  const start = (n: number) =>
    createEnvelope<StartRunCommand>({
      type: MessageTypes.runStart,
      source: 'e2e',
      data: { workflow, input: { n } },
      workspaceId: 'default',
    });

  it('starts one run, however often the same message arrives', async () => {
    const first = start(1);
    const other = start(2);
    // As a redelivery does: the very same message (same id) again, then a different one behind
    // it in the same partition, whose run shows that the repeat was handled before it.
    await batonKafka.publish(
      [first, first, other].map((envelope) => ({
        topic: Topics.workflowCommands,
        key: workflow,
        envelope,
      })),
    );
    const runs = await eventually(
      async () => {
        const page = await api<{ items: { input: { n: number } }[] }>(
          'GET',
          `/v1/runs?workflow=${workflow}&limit=10`,
        );
        return page.body.items.some((run) => run.input.n === 2) ? page.body.items : undefined;
      },
      30_000,
      'the second message to start its run',
    );
    expect(runs.map((run) => run.input.n).sort()).toEqual([1, 2]);
  });
});
