import { platformState } from '../platform';
import { alive } from '../service-control';

/**
 * Every service is the same process it was (not crashed, not restarted) and
 * says it is ready. Returns what is wrong, empty when all is well.
 */
export async function platformProblems(expectedPids: Map<string, number>): Promise<string[]> {
  const problems: string[] = [];
  for (const service of platformState().services) {
    const expected = expectedPids.get(service.name);
    if (expected !== undefined && expected !== service.pid) {
      problems.push(`${service.name} was restarted (pid ${expected} → ${service.pid})`);
    }
    if (!alive(service.pid)) {
      problems.push(
        `${service.name} (pid ${service.pid}) is no longer running; see ${service.logFile}`,
      );
      continue;
    }
    const ready = await readiness(service.port);
    if (ready !== 'ok') problems.push(`${service.name} /health/ready: ${ready}`);
  }
  return problems;
}

/** The pid of each service now, to compare with after the fuzzing. */
export function currentPids(): Map<string, number> {
  return new Map(platformState().services.map((s) => [s.name, s.pid]));
}

async function readiness(port: number): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok ? 'ok' : `${response.status} ${(await response.text()).slice(0, 300)}`;
  } catch (error) {
    return `no answer (${String(error)})`;
  }
}
