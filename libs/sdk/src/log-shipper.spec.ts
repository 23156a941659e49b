import pino from 'pino';
import { LogShipper } from './log-shipper';
import { StructuredLogger } from './structured-logger';

/** Records what the shipper POSTs; fails while `failing` is set. */
function platform(failing?: { status?: number }) {
  const bodies: { records: Record<string, unknown>[] }[] = [];
  return {
    bodies,
    failing,
    request(_method: string, _path: string, init: { body?: unknown } = {}): Promise<never> {
      if (this.failing) return Promise.reject(Object.assign(new Error('down'), this.failing));
      bodies.push(init.body as { records: Record<string, unknown>[] });
      return Promise.resolve(undefined as never);
    },
  };
}

const silent = pino({ level: 'info' }, { write: () => undefined });

describe('LogShipper and StructuredLogger', () => {
  it('ships records with ids as columns, the rest as redacted fields, only on flush', async () => {
    const http = platform();
    const logger = new StructuredLogger(silent, new LogShipper(http));
    logger
      .forTask('triage', { runId: 'r1', step: 'classify', taskId: 't1' })
      .info('Agent invoked', {
        request_id: 'req-1',
        customer: { api_key: 'k', tier: 'gold' },
      });
    expect(http.bodies).toHaveLength(0);
    await logger.flush();
    expect(http.bodies).toHaveLength(1);
    expect(http.bodies[0].records[0]).toMatchObject({
      level: 'info',
      message: 'Agent invoked',
      agent_id: 'triage',
      run_id: 'r1',
      step: 'classify',
      task_id: 't1',
      request_id: 'req-1',
      fields: { customer: { api_key: '[redacted]', tier: 'gold' } },
    });
  });

  it('does not ship what the logger level leaves out', async () => {
    const http = platform();
    const logger = new StructuredLogger(silent, new LogShipper(http));
    logger.debug('noise');
    await logger.flush();
    expect(http.bodies).toHaveLength(0);
  });

  it('keeps records when the platform is unreachable and sends them later', async () => {
    const http = platform({});
    const shipper = new LogShipper(http, { flushIntervalMs: 60_000 });
    shipper.add({ level: 'warn', message: 'a' });
    await shipper.flush();
    expect(http.bodies).toHaveLength(0);
    http.failing = undefined;
    await shipper.flush();
    expect(http.bodies[0].records.map((r) => r.message)).toEqual(['a']);
    expect(shipper.dropped).toBe(0);
  });

  it('drops records the platform refuses, and the oldest past its capacity', async () => {
    const http = platform({ status: 400 });
    const shipper = new LogShipper(http, { capacity: 2, flushIntervalMs: 60_000 });
    for (const message of ['a', 'b', 'c']) shipper.add({ level: 'info', message });
    expect(shipper.dropped).toBe(1);
    await shipper.flush();
    expect(shipper.dropped).toBe(3);
  });

  it('never throws into the caller, whatever the fields hold', async () => {
    const http = platform();
    const logger = new StructuredLogger(silent, new LogShipper(http));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => logger.info('cyclic', { cyclic })).not.toThrow();
    await logger.flush();
    expect(http.bodies[0].records[0].fields).toEqual({ truncated: true });
  });
});
