import fc from 'fast-check';
import { parse } from 'yaml';
import { platformState } from '../platform';
import { runHttpBatches } from './batches';
import { hostileJson } from './hostile-values';
import type { HttpCase } from './http-cases';
import type { Finding } from './http-verdict';
import { exampleWorkflows, workflowYaml } from './yaml-cases';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** A document for create or validate, as YAML text or (when it parses) as the JSON of it. */
function yamlCase(examples: string[], apiKey: string): fc.Arbitrary<HttpCase> {
  return fc
    .record({
      text: workflowYaml(examples),
      path: fc.constantFrom('/v1/workflows', '/v1/workflows/validate'),
      asJson: fc.boolean(),
      contentType: fc.constantFrom(...YAML_TYPES),
    })
    .map(({ text, path, asJson, contentType }) => {
      const json = asJson ? jsonOf(text) : undefined;
      return {
        operation: `POST ${path} (${json !== undefined ? 'JSON document' : 'YAML'})`,
        method: 'POST',
        url: path,
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': json !== undefined ? 'application/json' : contentType,
        },
        body: json ?? text,
      };
    });
}

function jsonOf(text: string): string | undefined {
  try {
    return JSON.stringify(parse(text, { maxAliasCount: 10 }));
  } catch {
    return undefined;
  }
}

/**
 * After a workflow was created, a dry run of it with hostile input and mocks:
 * the engine then walks a document the fuzzer wrote.
 */
function dryRunOf(
  created: HttpCase,
  status: number | string,
  body: string,
  apiKey: string,
  input: unknown,
): HttpCase[] {
  if (status !== 201 || created.url !== '/v1/workflows') return [];
  const name = /"name":"([a-z0-9-]+)"/.exec(body)?.[1];
  if (!name) return [];
  return [
    {
      operation: 'POST /v1/workflows/{name}/test (dry run of a fuzzed workflow)',
      method: 'POST',
      url: `/v1/workflows/${name}/test`,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input, mocks: {} }),
    },
  ];
}

export async function fuzzYaml(
  count: number,
  seed: number,
  concurrency: number,
  pids: Map<string, number>,
  apiKey: string,
): Promise<{ findings: Finding[]; sent: number }> {
  const { gatewayUrl } = platformState();
  const cases = fc.sample(yamlCase(exampleWorkflows(), apiKey), { seed, numRuns: count });
  const inputs = fc.sample(hostileJson, { seed: seed + 1, numRuns: count });
  let dryRuns = 0;
  const findings = await runHttpBatches(
    gatewayUrl,
    cases,
    concurrency,
    pids,
    'yaml',
    async (sent, status, body) => {
      const followUps = dryRunOf(sent, status, body, apiKey, inputs[dryRuns % inputs.length]);
      dryRuns += followUps.length;
      return followUps;
    },
  );
  return { findings, sent: cases.length + dryRuns };
}
