import { PullWorker, type ClaimedTaskView, type ClaimLeaseView } from '@baton/sdk';
import { api, eventually, platformState } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { killService, restartService, startExtraService } from './support/service-control';

/**
 * The tasks of `pull` agents wait in agent-manager's Postgres table and are
 * claimed there (ADR 0033): with two agent-manager processes, and across a
 * kill -9 and restart of one, a claim is served exactly as its lease says —
 * one holder while the lease lives (renewals included), offered again once
 * it lapses, the lapsed token refused, and a live claim's result accepted by
 * whichever replica answers.
 */
describe('pull tasks: claims under a lease, on any agent-manager replica', () => {
  const agent = uniqueName('pull-claims');
  let second: Awaited<ReturnType<typeof startExtraService>> | undefined;

  const claim = (leaseMs: number, waitMs = 0) =>
    api<ClaimedTaskView>('POST', `/v1/agents/${agent}/tasks/claim`, {
      body: { worker_id: 'e2e', lease_ms: leaseMs, wait_ms: waitMs },
    });
  const renew = (task: ClaimedTaskView, leaseMs: number) =>
    api<ClaimLeaseView & { errors?: { field: string }[] }>(
      'POST',
      `/v1/agents/${agent}/tasks/${task.task_id}/lease`,
      { body: { claim_token: task.claim_token, lease_ms: leaseMs } },
    );
  const report = (task: ClaimedTaskView, output: unknown) =>
    api<{ errors?: { field: string }[] }>(
      'POST',
      `/v1/agents/${agent}/tasks/${task.task_id}/result`,
      { body: { claim_token: task.claim_token, output } },
    );
  const submit = async (input: unknown): Promise<string> => {
    const submitted = await api<{ task_id: string }>('POST', `/v1/agents/${agent}/tasks`, {
      body: { input },
    });
    expect(submitted.status).toBe(202);
    return submitted.body.task_id;
  };
  const taskOf = async (id: string) =>
    (await api<{ status: string; output: unknown }>('GET', `/v1/tasks/${id}`)).body;
  const claimed = (leaseMs: number) =>
    eventually(
      async () => {
        const answer = await claim(leaseMs, 1_000);
        return answer.status === 200 ? answer.body : undefined;
      },
      30_000,
      'a claim',
    );

  beforeAll(async () => {
    const registered = await api('POST', '/v1/agents', {
      body: { name: agent, type: 'worker', runtime: 'pull' },
    });
    expect(registered.status).toBe(201);
    second = await startExtraService('agent-manager', 71);
  }, 180_000);

  afterAll(async () => {
    await second?.stop();
  }, 60_000);

  it('gives a task to one claim while its lease (renewed) lives, then offers it again and refuses the lapsed token', async () => {
    const id = await submit({ n: 1 });
    const first = await claimed(2_000);
    expect(first.task_id).toBe(id);
    expect(first.input).toEqual({ n: 1 });
    expect((await claim(2_000)).status).toBe(204);

    // Renewed for 4 s from now: past the first lease, nobody else gets it.
    const renewed = await renew(first, 4_000);
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.body.lease_expires_at)).toBeGreaterThan(
      Date.parse(first.lease_expires_at),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    expect((await claim(2_000)).status).toBe(204);

    // The renewed lease lapses: the task is offered again under a new token.
    const next = await claimed(10_000);
    expect(next.task_id).toBe(id);
    expect(next.claim_token).not.toBe(first.claim_token);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(renewed.body.lease_expires_at));

    const late = await report(first, { late: true });
    expect(late.status).toBe(409);
    expect(late.body.errors?.[0]?.field).toBe('claim_token');
    expect((await renew(first, 4_000)).status).toBe(409);

    expect((await report(next, { served: 1 })).status).toBe(200);
    expect(await taskOf(id)).toMatchObject({ status: 'completed', output: { served: 1 } });
    expect((await report(next, { twice: true })).status).toBe(404);
  }, 90_000);

  it('keeps a claim through a kill -9 of agent-manager: the other replica renews it, the result counts once', async () => {
    const id = await submit({ n: 2 });
    const held = await claimed(60_000);
    expect(held.task_id).toBe(id);

    await killService('agent-manager');
    try {
      // Only the extra replica is left: it answers for the claim the dead one handed out.
      const renewed = await eventually(
        async () => {
          const answer = await renew(held, 60_000);
          return answer.status === 200 ? answer.body : undefined;
        },
        90_000,
        'a renewal through the surviving replica',
      );
      expect(renewed.task_id).toBe(id);
      expect((await claim(60_000)).status).toBe(204);
      // Reported before the task's deadline (AGENT_CALL_TIMEOUT_MS after it was submitted), which
      // no lease outlives: a restart that takes longer would rightly time the task out.
      const accepted = await report(held, { served: 2 });
      expect(accepted.status).toBe(200);
    } finally {
      await restartService('agent-manager');
    }
    expect(await taskOf(id)).toMatchObject({ status: 'completed', output: { served: 2 } });
  }, 300_000);

  it('the SDK’s PullWorker renews its lease while a slow handler runs: two workers, one run per task', async () => {
    let runs = 0;
    const handler = async (input: unknown) => {
      runs++;
      // Three times the lease: without renewals the other worker would claim it meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      return { slow: input };
    };
    const options = {
      apiKey: platformState().apiKey,
      endpoint: platformState().gatewayUrl,
      agent,
      handler,
      leaseMs: 1_200,
      waitMs: 1_000,
    };
    const workers = [new PullWorker(options).start(), new PullWorker(options).start()];
    try {
      const id = await submit({ n: 3 });
      const done = await eventually(
        async () => {
          const task = await taskOf(id);
          return task.status === 'completed' ? task : undefined;
        },
        30_000,
        'the slow task completed',
      );
      expect(done.output).toEqual({ slow: { n: 3 } });
      // The worker counts once the platform accepted the result, a moment after the task completed.
      await eventually(async () =>
        workers[0].handled + workers[1].handled === 1 ? true : undefined,
      );
      expect(runs).toBe(1);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
  }, 60_000);
});
