import { AgentWorker, OrchestratePlatform, type OrchestratePlatform as Client } from '@baton/sdk';
import { api, eventually, platformState, sdk } from './support/platform';
import { countRuns } from './support/run-counts';
import { killService, restartService } from './support/service-control';
import { platformAdminKey, workspaceWithKeys } from './support/workspaces';

/** Runs of the default workspace (A) at once: the engine is restarted with this admission limit. */
const LIMIT = 5;
const FLOOD = 300;
const ADMISSION = { RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE: String(LIMIT) };

/**
 * Fairness between workspaces (issue 27, ADR 0041): workspace A floods the
 * engine with 300 runs while its agent has no worker; with an admission
 * limit of 5, A has 5 runs `running` and the rest `queued`, and a run of
 * workspace B completes meanwhile. Once the worker starts, all of A's runs complete, across
 * a kill -9 of the engine with runs still queued: none lost, none doubled.
 */
describe('fairness between workspaces', () => {
  let a: Client;
  let b: Client;
  let workspaceB: { id: string; keys: string[] };
  let worker: AgentWorker;
  let workerStarted = false;
  /** task id + attempt -> how many times the worker was handed it */
  const handled = new Map<string, number>();
  const suffix = Date.now().toString(36);
  const workflowA = `flood-${suffix}`;
  // Names of this run's own: a task topic left by an earlier run on the same broker is not read.
  const agentA = `fair-held-${suffix}`;

  /**
   * Cancels the default workspace's runs in flight. Before the test: earlier
   * specs leave runs running (agents with no worker, runs nobody waited for),
   * and each would hold one of A's 5 slots. After it: a failed test would
   * leave A's backlog queued, and every later spec's run of the default
   * workspace would queue behind it.
   */
  async function cancelRunsInFlight(): Promise<void> {
    const client = sdk();
    for (const status of ['queued', 'running']) {
      await eventually(
        async () => {
          const page = await api<{ items: { id: string }[] }>(
            'GET',
            `/v1/runs?status=${status}&limit=200`,
          );
          if (page.body.items.length === 0) return true;
          // A sub-workflow's run may refuse (its parent's cancel ends it): the next look sees.
          await Promise.all(
            page.body.items.map((run) => client.cancelRun(run.id).catch(() => null)),
          );
          return undefined;
        },
        120_000,
        `no run of the default workspace ${status}`,
      );
    }
  }

  beforeAll(async () => {
    await killService('workflow-engine');
    await restartService('workflow-engine', ADMISSION);
    a = sdk();
    await cancelRunsInFlight();
    workspaceB = await workspaceWithKeys('fair-b');
    b = new OrchestratePlatform({
      apiKey: workspaceB.keys[0],
      endpoint: platformState().gatewayUrl,
      workspaceId: workspaceB.id,
    });
    // A's agent gets its worker only once B's run is done: A's running runs wait for it.
    await a.registerAgent({ name: agentA, type: 'worker', max_instances: 3 });
    worker = new AgentWorker({
      agent: agentA,
      brokers: platformState().kafkaBrokers.split(','),
      concurrency: 2 * LIMIT,
      handler: (input, task) => {
        const key = `${task.taskId}#${task.attempt}`;
        handled.set(key, (handled.get(key) ?? 0) + 1);
        return Promise.resolve(input);
      },
    });
    await a.createWorkflow({
      name: workflowA,
      steps: [{ name: 'only', agent: agentA, input: '${input}' }],
    });
    await b.registerAgent({
      name: 'fair-echo',
      type: 'classifier',
      runtime: 'rules',
      config: { rules: [], default: { ok: true } },
    });
    await b.createWorkflow({
      name: 'small',
      steps: [{ name: 'only', agent: 'fair-echo', input: '${input}' }],
    });
  }, 300_000);

  afterAll(async () => {
    await cancelRunsInFlight();
    if (workerStarted) await worker.stop();
    // The suites after this one get the engine as global-setup started it.
    await killService('workflow-engine');
    await restartService('workflow-engine');
  }, 300_000);

  it(`runs B's run while A's ${FLOOD} runs wait, then every run of A once`, async () => {
    const ids: string[] = [];
    for (let from = 0; from < FLOOD; from += 30) {
      const started = await Promise.all(
        Array.from({ length: 30 }, (_, i) => a.startRun(workflowA, { n: from + i })),
      );
      ids.push(...started.map((run) => run.id));
    }
    expect(new Set(ids).size).toBe(FLOOD);

    // A has its limit running (each waiting for A's worker) and the rest queued.
    expect(await countRuns(workflowA, 'running')).toBe(LIMIT);
    expect(await countRuns(workflowA, 'queued')).toBe(FLOOD - LIMIT);
    const queuedRun = await a.getRun(ids[FLOOD - 1]);
    expect(queuedRun.status).toBe('queued');
    expect(queuedRun.steps).toEqual([]);

    // B is not behind A's backlog: its run completes while A's are all still there.
    const started = Date.now();
    const runB = await b.startRun('small', { from: 'b' });
    const doneB = await b.waitForRun(runB.id, 30_000);
    expect(doneB.status).toBe('completed');
    process.stdout.write(
      `workspace-fairness: B's run completed in ${Date.now() - started} ms with ${FLOOD - LIMIT} of A's runs queued\n`,
    );
    expect(await countRuns(workflowA, 'completed')).toBe(0);
    expect(await countRuns(workflowA, 'running')).toBe(LIMIT);

    // Queued runs are durable: a kill -9 loses none, and the new engine admits them.
    await killService('workflow-engine');
    await restartService('workflow-engine', ADMISSION);
    await worker.start();
    workerStarted = true;
    await eventually(
      async () => ((await countRuns(workflowA, 'completed')) === FLOOD ? true : undefined),
      240_000,
      `all ${FLOOD} of A's runs to complete`,
    );
    expect(await countRuns(workflowA, 'queued')).toBe(0);
    expect(await countRuns(workflowA, 'running')).toBe(0);
    // The run events say so: a queued run was queued, then started; an admitted one only started.
    expect(await runEventTypes(ids[FLOOD - 1])).toEqual([
      'workflow.run.queued',
      'workflow.run.started',
      'workflow.run.completed',
    ]);
    expect(await runEventTypes(ids[0])).toEqual(['workflow.run.started', 'workflow.run.completed']);
    // One task per run: no run was started twice, queued or not. (A task may reach the worker
    // twice, as Kafka hands on at least once: a worker group rebalanced under load re-reads
    // what it had not committed. Each step still ends once, with one attempt, checked below.)
    expect(handled.size).toBe(FLOOD);
    for (const id of [ids[0], ids[FLOOD - 1]]) {
      const run = await a.getRun(id);
      expect(run.steps.map((s) => [s.status, s.attempts])).toEqual([['completed', 1]]);
    }
  }, 420_000);

  /** The run's lifecycle events as event-manager stored them (oldest first), once it has its end. */
  async function runEventTypes(runId: string): Promise<string[]> {
    return eventually(
      async () => {
        const page = await api<{ items: { type: string; data: { status: string } }[] }>(
          'GET',
          `/v1/events?type=workflow.run.*&subject=${runId}&limit=50`,
        );
        const types = page.body.items.map((e) => e.type).reverse();
        return types.includes('workflow.run.completed') ? types : undefined;
      },
      30_000,
      `the run events of ${runId}`,
    );
  }

  it('cancels a queued run without starting it, and lists runs by that status', async () => {
    const workflow = `${workflowA}-cancel`;
    await a.createWorkflow({
      name: workflow,
      steps: [{ name: 'only', agent: agentA, input: '${input}' }],
    });
    // Hold A's room with runs of a workflow whose agent has no worker.
    await a.registerAgent({ name: `fair-silent-${suffix}`, type: 'worker', max_instances: 1 });
    const silent = `${workflowA}-silent`;
    await a.createWorkflow({
      name: silent,
      steps: [{ name: 'only', agent: `fair-silent-${suffix}`, input: '${input}' }],
    });
    const holders = await Promise.all(
      Array.from({ length: LIMIT }, (_, n) => a.startRun(silent, { n })),
    );
    const waiting = await a.startRun(workflow, { n: 0 });
    expect(waiting.status).toBe('queued');
    const cancelled = await api<{ status: string; steps: unknown[] }>(
      'POST',
      `/v1/runs/${waiting.id}/cancel`,
      { body: {} },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.steps).toEqual([]);
    const bad = await api<{ errors?: { field: string }[] }>('GET', '/v1/runs?status=waiting');
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.[0].field).toBe('status');
    for (const run of holders) {
      const done = await api('POST', `/v1/runs/${run.id}/cancel`, { body: {} });
      expect(done.status).toBe(200);
    }
  }, 120_000);

  it("holds a workspace to the limit a platform admin set for it, in place of the engine's", async () => {
    const admin = await platformAdminKey();
    const path = `/v1/workspaces/${workspaceB.id}/run-admission`;
    const set = (body: unknown, apiKey = admin) =>
      api<{ active_runs: number | null; effective_active_runs: number }>('PUT', path, {
        apiKey,
        body,
      });
    // A workspace's own admin may not change it; bad values and unknown workspaces are refused.
    expect((await set({ active_runs: 1 }, workspaceB.keys[0])).status).toBe(403);
    for (const body of [{ active_runs: -1 }, { active_runs: 'one' }, {}]) {
      const refused = await set(body);
      expect(refused.status).toBe(422);
      expect(refused.contentType).toContain('application/problem+json');
      expect(JSON.stringify(refused.body)).toContain('"field":"active_runs"');
    }
    const unknown = await api('PUT', `/v1/workspaces/no-such-${suffix}/run-admission`, {
      apiKey: admin,
      body: { active_runs: 1 },
    });
    expect(unknown.status).toBe(404);

    const one = await set({ active_runs: 1 });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      workspace_id: workspaceB.id,
      active_runs: 1,
      default_active_runs: LIMIT,
      effective_active_runs: 1,
    });
    // B's runs wait on an agent without a worker: the first holds B's one slot.
    await b.registerAgent({ name: `fair-b-silent-${suffix}`, type: 'worker', max_instances: 1 });
    await b.createWorkflow({
      name: 'held',
      steps: [{ name: 'only', agent: `fair-b-silent-${suffix}`, input: '${input}' }],
    });
    const first = await b.startRun('held', { n: 1 });
    const second = await b.startRun('held', { n: 2 });
    expect(first.status).toBe('running');
    expect(second.status).toBe('queued');

    // No limit for B (0): the queued run is admitted without any run ending.
    expect((await set({ active_runs: 0 })).body.effective_active_runs).toBe(0);
    await eventually(
      async () => ((await b.getRun(second.id)).status === 'running' ? true : undefined),
      30_000,
      "B's queued run to be admitted",
    );

    const reset = await api('DELETE', path, { apiKey: admin });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ active_runs: null, effective_active_runs: LIMIT });
    expect((await api('GET', path, { apiKey: admin })).body).toMatchObject({
      active_runs: null,
    });
    for (const run of [first, second]) await b.cancelRun(run.id);
  }, 120_000);
});
