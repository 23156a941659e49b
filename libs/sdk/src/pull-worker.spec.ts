import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PullTaskError, PullWorker } from './pull-worker';

const TASK = {
  task_id: '0b9e1c52-1d7c-4f0e-9a59-0d0f5f0c1a11',
  agent: 'summarizer',
  input: { text: 'hi' },
  claim_token: 'tok-1',
  lease_expires_at: '2026-12-07T00:00:30Z',
  deadline: '2026-12-07T00:01:00Z',
};

interface Seen {
  path: string;
  body: Record<string, unknown>;
}

/** A local stand-in for the gateway's three pull routes: one task, then none. */
async function gateway(
  renewal: { status: number } = { status: 200 },
): Promise<{ url: string; seen: Seen[]; reported: Promise<Seen>; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  let report!: (seen: Seen) => void;
  const reported = new Promise<Seen>((resolve) => (report = resolve));
  let claimed = false;
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const entry = { path: request.url ?? '', body: JSON.parse(text || '{}') };
      seen.push(entry);
      const answer = (status: number, body?: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(body === undefined ? '' : JSON.stringify(body));
      };
      if (entry.path.endsWith('/claim')) {
        if (claimed) return setTimeout(() => answer(204), 50);
        claimed = true;
        return answer(200, TASK);
      }
      if (entry.path.endsWith('/lease')) {
        return renewal.status === 200
          ? answer(200, {
              task_id: TASK.task_id,
              lease_expires_at: TASK.deadline,
              deadline: TASK.deadline,
            })
          : answer(renewal.status, {
              status: renewal.status,
              code: 'TASK.CLAIM_EXPIRED',
              category: 'RESOURCE.CONFLICT',
              detail: 'lapsed',
            });
      }
      report(entry);
      answer(200, { accepted: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    reported,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('PullWorker', () => {
  it('claims, renews the lease while the handler runs, and reports the output with the claim token', async () => {
    const stub = await gateway();
    const worker = new PullWorker({
      endpoint: stub.url,
      apiKey: 'k',
      agent: 'summarizer',
      leaseMs: 900,
      waitMs: 50,
      handler: async (input) => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return { summary: (input as { text: string }).text.toUpperCase() };
      },
    }).start();
    const report = await stub.reported;
    await worker.stop();
    await stub.close();
    expect(report).toEqual({
      path: `/v1/agents/summarizer/tasks/${TASK.task_id}/result`,
      body: { claim_token: 'tok-1', output: { summary: 'HI' } },
    });
    expect(stub.seen[0]).toEqual({
      path: '/v1/agents/summarizer/tasks/claim',
      body: { worker_id: expect.any(String), lease_ms: 900, wait_ms: 50 },
    });
    const renewals = stub.seen.filter((s) => s.path.endsWith('/lease'));
    // Every 300 ms during a 1 s handler, and none after the result.
    expect(renewals.length).toBeGreaterThanOrEqual(2);
    expect(renewals[0]!.body).toEqual({ claim_token: 'tok-1', lease_ms: 900 });
    const reportedAt = stub.seen.findIndex((s) => s.path.endsWith('/result'));
    expect(stub.seen.slice(reportedAt).some((s) => s.path.endsWith('/lease'))).toBe(false);
    expect(worker.handled).toBe(1);
  });

  it('fails the task with the PullTaskError type, and aborts the handler when its lease was lost', async () => {
    const stub = await gateway({ status: 409 });
    let aborted = false;
    const warnings: string[] = [];
    const worker = new PullWorker({
      endpoint: stub.url,
      apiKey: 'k',
      agent: 'summarizer',
      leaseMs: 300,
      waitMs: 50,
      onWarning: (message) => warnings.push(message),
      handler: async (_input, { signal }) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        aborted = true;
        throw new PullTaskError('timeout', 'gave up');
      },
    }).start();
    const report = await stub.reported;
    await worker.stop();
    await stub.close();
    expect(aborted).toBe(true);
    expect(warnings).toContain('lease lost; the task was handed on or finished');
    expect(report.body).toEqual({
      claim_token: 'tok-1',
      error: { type: 'timeout', message: 'gave up' },
    });
  });
});
