import { api, eventually } from '../platform';

/**
 * The resources KNOWN_NAMES refer to, in the fuzz workspace (`apiKey` is its admin's), so that fuzzed requests also reach the
 * code behind "found" (patching an agent, testing a workflow, previewing a transform).
 */
export async function createFixtures(apiKey: string): Promise<void> {
  await created('POST', '/v1/agents', {
    apiKey,
    body: { name: 'fuzz-agent', type: 'worker', description: 'fuzz target' },
  });
  await created('POST', '/v1/transforms', {
    apiKey,
    body: { name: 'fuzz-transform', expression: '{ "id": id, "data": data }' },
  });
  await created('POST', '/v1/workflows', {
    apiKey,
    raw: 'workflow:\n  name: fuzz-flow\n  steps:\n    - name: first\n      agent: fuzz-agent\n      timeout: 2s\n',
    contentType: 'application/yaml',
  });
}

/** Retried while the platform answers 503/504: right after start, a busy machine may be slow to answer. */
async function created(
  method: string,
  path: string,
  options: Parameters<typeof api>[2],
): Promise<void> {
  await eventually(
    async () => {
      const answer = await api(method, path, options);
      if (answer.status === 503 || answer.status === 504) return undefined;
      if (answer.status >= 300)
        throw new Error(`fuzz fixture ${path}: ${JSON.stringify(answer.body)}`);
      return true;
    },
    90_000,
    `the fuzz fixture ${path}`,
  );
}
