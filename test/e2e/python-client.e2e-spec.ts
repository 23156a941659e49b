import { OrchestratePlatform, StreamRefused } from '@baton/sdk';
import type { StoredEventView } from '@baton/contracts';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { eventually, platformState } from './support/platform';
import { workspaceWithKeys } from './support/workspaces';

const PYTHON_ROOT = path.join(__dirname, '../../sdks/python');

/** Runs `python3 -m unittest` on the platform tests with the endpoint and key in the environment. */
function runPythonTests(
  env: Record<string, string>,
  pattern = process.env.PYTHON_TESTS ?? 'test*.py',
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'python3',
      // PYTHON_TESTS narrows the run while working on one file (e.g. test_agent_worker.py).
      ['-m', 'unittest', 'discover', '-v', '-s', 'tests/platform', '-t', '.', '-p', pattern],
      { cwd: PYTHON_ROOT, env: { ...process.env, ...env, PYTHONUNBUFFERED: '1' } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the Python client against the running platform', () => {
  it('passes its platform tests, the seed’s snippets included, in a fresh workspace', async () => {
    // A workspace of its own: the seed's agent names are registered by other suites in `default`.
    const workspace = await workspaceWithKeys('py');
    const result = await runPythonTests({
      ORCHESTRATE_ENDPOINT: platformState().gatewayUrl,
      ORCHESTRATE_API_KEY: workspace.keys[0],
      ORCHESTRATE_WORKSPACE_ID: workspace.id,
    });
    if (result.code !== 0) console.error(result.output);
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/^OK$/m);
    if (!process.env.PYTHON_TESTS) {
      expect(result.output).toContain('test_5_pub_sub_calls_the_handler_for_each_matching_event');
      expect(result.output).toContain(
        'test_7_create_alert_makes_the_rule_over_the_channels_of_those_kinds',
      );
      // Exit code 0 says every test passed; these say the key ones were among them.
      expect(result.output).toContain('test_the_quick_start_runs_as_written');
      expect(result.output).toContain(
        'test_a_task_claimed_by_a_crashed_worker_goes_to_the_next_one',
      );
      expect(result.output).toMatch(/Ran (\d{2,}) tests/);
    }
  }, 240_000);
});

describe('the TypeScript SDK’s subscribe({ events, handler }) over the same stream', () => {
  let orchestrate: OrchestratePlatform;

  beforeAll(async () => {
    const workspace = await workspaceWithKeys('ts-sub');
    orchestrate = new OrchestratePlatform({
      apiKey: workspace.keys[0],
      endpoint: platformState().gatewayUrl,
      workspaceId: workspace.id,
    });
  });

  it('calls the handler per matching event and resumes after the last one handled', async () => {
    const subject = randomUUID();
    const seen: StoredEventView[] = [];
    const first = await orchestrate.subscribe({
      agent_id: 'notification-agent',
      events: ['order.created', 'order.updated'],
      subject,
      handler: (event) => void seen.push(event),
    });
    await orchestrate.publishEvent({ type: 'order.created', data: { n: 1 }, subject });
    await orchestrate.publishEvent({ type: 'invoice.created', data: { n: 2 }, subject });
    await eventually(async () => seen.length >= 1 || undefined, 30_000, 'the first event');
    await first.close();
    expect(seen.map((e) => [e.type, e.data])).toEqual([['order.created', { n: 1 }]]);

    // Published while nobody follows: resuming from the last id delivers them, in order.
    await orchestrate.publishEvent({ type: 'order.updated', data: { n: 3 }, subject });
    await orchestrate.publishEvent({ type: 'order.updated', data: { n: 4 }, subject });
    const resumed: StoredEventView[] = [];
    const second = await orchestrate.subscribe({
      events: ['order.*'],
      subject,
      last_event_id: first.lastEventId,
      handler: (event) => void resumed.push(event),
    });
    try {
      await eventually(async () => resumed.length >= 2 || undefined, 30_000, 'the missed events');
      expect(resumed.map((e) => e.data)).toEqual([{ n: 3 }, { n: 4 }]);
    } finally {
      await second.close();
    }
  });

  it('redelivers an event whose handler threw', async () => {
    const subject = randomUUID();
    const calls: string[] = [];
    const subscription = await orchestrate.subscribe({
      events: ['retry.me'],
      subject,
      handler: (event) => {
        calls.push(event.id);
        if (calls.length === 1) throw new Error('not yet');
      },
    });
    try {
      const { id } = await orchestrate.publishEvent({ type: 'retry.me', data: {}, subject });
      await eventually(async () => calls.length >= 2 || undefined, 30_000, 'the redelivery');
      expect(calls.slice(0, 2)).toEqual([id, id]);
    } finally {
      await subscription.close();
    }
  });

  it('refuses a wrong key at subscribe, with the stream’s problem', async () => {
    const stranger = new OrchestratePlatform({
      apiKey: 'bk_wrong',
      endpoint: platformState().gatewayUrl,
    });
    const refused = stranger.subscribe({ events: ['x'], handler: () => undefined });
    await expect(refused).rejects.toBeInstanceOf(StreamRefused);
    await expect(refused).rejects.toMatchObject({ status: 401 });
  });
});
