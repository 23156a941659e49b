import { ConnectionRuntime } from './connection-runtime';
import { OperationError, type Connector, type Operation, type OperationContext } from './connector';

const target = { key: 'acme/crm', name: 'crm', config: {}, secrets: {} };

function connector(): Connector {
  return {
    kind: 'test',
    description: 'in-memory',
    configSchema: {},
    secretFields: [],
    operations: new Map(),
    probe: () => Promise.resolve({ reachable: true }),
  };
}

function operation(
  behaviour: (context: OperationContext, call: number) => Promise<unknown>,
  idempotent = true,
): Operation & { calls: number } {
  const op = {
    name: 'op',
    description: '',
    inputSchema: {},
    calls: 0,
    idempotent: () => idempotent,
    execute: async (context: OperationContext) => ({
      output: await behaviour(context, ++op.calls),
    }),
  };
  return op;
}

function runtime(resilience: Record<string, number>) {
  return new ConnectionRuntime(connector(), 'acme', 'crm', 1, { resilience });
}

const fails = (type: 'system_error' | 'validation_error', retryAfter?: number) => () =>
  Promise.reject(new OperationError(type, `${type} happened`, null, retryAfter));

describe('ConnectionRuntime', () => {
  it('tells its observer of every call and of the breaker opening (alert figures)', async () => {
    const calls: string[] = [];
    const breakers: { state: string; openUntil: Date | null }[] = [];
    const rt = new ConnectionRuntime(
      connector(),
      'acme',
      'crm',
      1,
      { resilience: { retries: 0, breaker_min_calls: 2, breaker_reset_ms: 60_000 } },
      {
        call: (workspace, connection, outcome, ms) => {
          expect(ms).toBeGreaterThanOrEqual(0);
          calls.push(`${workspace}/${connection}:${outcome}`);
        },
        breaker: (_workspace, _connection, state, openUntil) => breakers.push({ state, openUntil }),
      },
    );
    const op = operation(fails('system_error'));
    for (let i = 0; i < 3; i++) await rt.call(op, target, {}).catch(() => undefined);
    expect(calls).toEqual([
      'acme/crm:system_error',
      'acme/crm:system_error',
      'acme/crm:system_error',
    ]);
    expect(breakers).toHaveLength(1);
    expect(breakers[0].state).toBe('open');
    expect(breakers[0].openUntil!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    rt.shutdown();
    expect(breakers.map((b) => b.state)).toEqual(['open', 'closed']);
  });

  it('retries an idempotent operation after a system error, and answers its result', async () => {
    const op = operation((_, call) =>
      call === 1 ? fails('system_error')() : Promise.resolve({ ok: call }),
    );
    const result = await runtime({ retries: 2 }).call(op, target, {});
    expect(result.output).toEqual({ ok: 2 });
    expect(op.calls).toBe(2);
  });

  it('never retries an operation that is not idempotent', async () => {
    const op = operation(fails('system_error'), false);
    await expect(runtime({ retries: 2 }).call(op, target, {})).rejects.toMatchObject({
      type: 'system_error',
    });
    expect(op.calls).toBe(1);
  });

  it('does not retry validation errors, and they do not open the breaker', async () => {
    const rt = runtime({ retries: 2, breaker_min_calls: 1 });
    const op = operation(fails('validation_error'));
    for (let i = 0; i < 3; i++) {
      await expect(rt.call(op, target, {})).rejects.toMatchObject({ type: 'validation_error' });
    }
    expect(op.calls).toBe(3);
    expect(rt.breakerState).toBe('closed');
    expect(rt.health().errors).toEqual({ validation_error: 3, system_error: 0, timeout: 0 });
  });

  it('opens the breaker after failures, then fails fast naming it without calling', async () => {
    const rt = runtime({ retries: 0, breaker_min_calls: 2, breaker_reset_ms: 60_000 });
    const op = operation(fails('system_error'));
    await expect(rt.call(op, target, {})).rejects.toThrow('system_error happened');
    await expect(rt.call(op, target, {})).rejects.toThrow('system_error happened');
    expect(rt.breakerState).toBe('open');
    await expect(rt.call(op, target, {})).rejects.toMatchObject({
      type: 'system_error',
      message: expect.stringContaining("circuit breaker of connection 'crm' is open") as string,
    });
    expect(op.calls).toBe(2);
    expect(rt.health()).toMatchObject({ breaker: 'open', calls: 3, errors: { system_error: 3 } });
    rt.shutdown();
  });

  it('fails an attempt that outlives the timeout as timeout, aborting its signal', async () => {
    let aborted = false;
    const op = operation(
      (context) =>
        new Promise((resolve) => {
          context.signal.addEventListener('abort', () => {
            aborted = true;
            resolve('too late');
          });
        }),
      false,
    );
    await expect(runtime({ timeout_ms: 100 }).call(op, target, {})).rejects.toMatchObject({
      type: 'timeout',
      message: "test connection 'crm' did not answer within 0.1 s",
    });
    expect(aborted).toBe(true);
  });

  it('refuses calls beyond the bulkhead instead of queueing forever', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const op = operation(() => gate.then(() => 'done'), false);
    const rt = runtime({ max_concurrent: 1, max_queued: 0 });
    const first = rt.call(op, target, {});
    await expect(rt.call(op, target, {})).rejects.toMatchObject({
      type: 'system_error',
      message: expect.stringContaining('bulkhead') as string,
    });
    release();
    await expect(first).resolves.toEqual({ output: 'done' });
  });

  it('wraps an unexpected error as system_error', async () => {
    const op = operation(() => Promise.reject(new Error('boom')), false);
    await expect(runtime({}).call(op, target, {})).rejects.toMatchObject({
      type: 'system_error',
      message: "test connection 'crm' failed: boom",
    });
  });
});
