import { curlOf, judge, type Finding } from './http-verdict';
import type { HttpCase } from './http-cases';
import { CLIENT_TIMEOUT_MS, inParallel, send } from './http-send';
import { platformProblems } from './platform-health';

export const BATCH_SIZE = 100;

/**
 * Sends the cases in batches; after each batch every service must still be
 * the same healthy process. A failed health check names the batch's
 * operations, since any one of them may be the cause.
 */
export async function runHttpBatches(
  baseUrl: string,
  cases: HttpCase[],
  concurrency: number,
  pids: Map<string, number>,
  label: string,
  afterEach?: (
    httpCase: HttpCase,
    status: number | string,
    bodyStart: string,
  ) => Promise<HttpCase[]>,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (let start = 0; start < cases.length; start += BATCH_SIZE) {
    const batch = cases.slice(start, start + BATCH_SIZE);
    await inParallel(batch, concurrency, async (httpCase) => {
      const queue = [httpCase];
      while (queue.length > 0) {
        const current = queue.shift()!;
        const outcome = await send(baseUrl, current);
        const verdict = judge(outcome, current, CLIENT_TIMEOUT_MS);
        if (verdict) {
          findings.push({
            kind: `${label}: ${current.operation}`,
            reproduce: curlOf(baseUrl, current),
            detail: `${verdict}: ${outcome.bodyStart.slice(0, 400)}`,
          });
        }
        if (afterEach) queue.push(...(await afterEach(current, outcome.status, outcome.bodyStart)));
      }
    });
    const problems = await platformProblems(pids);
    if (problems.length > 0) {
      findings.push({
        kind: `${label}: platform unhealthy after cases ${start}..${start + batch.length - 1}`,
        reproduce: [...new Set(batch.map((c) => c.operation))].join(', '),
        detail: problems.join('; '),
      });
      // Every later answer would be noise from the same cause.
      break;
    }
  }
  return findings;
}
