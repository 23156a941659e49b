import fc from 'fast-check';
import { api, platformState } from '../platform';
import { keyFor, type FuzzTarget } from './fuzz-target';
import { runHttpBatches } from './batches';
import { httpCase, type HttpCase } from './http-cases';
import type { Finding } from './http-verdict';
import { operationsOf, type Operation, type Schema } from './openapi-operations';

export async function loadOperations(): Promise<{ operations: Operation[]; schemas: Schema[] }> {
  const response = await api<
    Parameters<typeof operationsOf>[0] & { components: { schemas: Record<string, Schema> } }
  >('GET', '/openapi.json', { apiKey: null });
  if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
  return {
    operations: operationsOf(response.body),
    schemas: Object.values(response.body.components.schemas),
  };
}

/**
 * `count` cases spread evenly over every operation (each operation its own
 * seeded stream, so adding a route does not change the others' cases).
 */
export function httpCases(
  operations: Operation[],
  count: number,
  seed: number,
  target: FuzzTarget,
): HttpCase[] {
  const perOperation = Math.max(1, Math.ceil(count / operations.length));
  const byOperation = operations.map((operation, i) =>
    fc.sample(httpCase(operation, keyFor(target, operation)), {
      seed: seed + i,
      numRuns: perOperation,
    }),
  );
  // Interleaved, so that a batch mixes routes as real traffic does.
  const cases: HttpCase[] = [];
  for (let n = 0; n < perOperation; n++) for (const list of byOperation) cases.push(list[n]);
  return cases;
}

export async function fuzzHttp(
  operations: Operation[],
  count: number,
  seed: number,
  concurrency: number,
  pids: Map<string, number>,
  target: FuzzTarget,
): Promise<{ findings: Finding[]; sent: number }> {
  const cases = httpCases(operations, count, seed, target);
  const findings = await runHttpBatches(
    platformState().gatewayUrl,
    cases,
    concurrency,
    pids,
    'http',
  );
  return { findings, sent: cases.length };
}
