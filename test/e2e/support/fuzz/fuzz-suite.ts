import { createFixtures } from './fixtures';
import { fuzzHttp, httpCases, loadOperations } from './http-campaign';
import type { Finding } from './http-verdict';
import { fuzzKafka } from './kafka-campaign';
import type { Operation, Schema } from './openapi-operations';
import { currentPids, platformProblems } from './platform-health';
import { errorLinesSince, logMarks } from './service-logs';
import { fuzzSettings, type FuzzSettings } from './fuzz-settings';
import { fuzzYaml } from './yaml-campaign';
import { clearDefaultLlmBudget } from '../workspaces';
import { createFuzzTarget, type FuzzTarget } from './fuzz-target';

/**
 * The fuzz contract as jest tests, for both forms: the short one in the e2e
 * suite and the long `npm run test:fuzz`. They differ only in counts.
 */
export function defineFuzzSuite(defaults: Omit<FuzzSettings, 'seed'>, timeoutMs: number): void {
  describe('fuzz: no input crashes or stalls a service', () => {
    let settings: FuzzSettings;
    let operations: Operation[];
    let schemas: Schema[];
    let pids: Map<string, number>;
    let marks: Map<string, number>;
    let target: FuzzTarget;

    beforeAll(async () => {
      settings = fuzzSettings(defaults);
      target = await createFuzzTarget();
      await createFixtures(target.adminKey);
      ({ operations, schemas } = await loadOperations());
      pids = currentPids();
      marks = logMarks();
    });

    // The fuzzed requests act in a workspace of their own (fuzz-target.ts); this stays as a
    // second guard for the specs after it: a tiny budget once failed every later llm spec.
    afterAll(() => clearDefaultLlmBudget());

    it('generates cases for every method and path of /openapi.json', () => {
      const covered = new Set(
        httpCases(operations, operations.length, settings.seed, target).map((c) => c.operation),
      );
      expect([...covered].sort()).toEqual(operations.map((o) => `${o.method} ${o.path}`).sort());
    });

    it(
      'answers fuzzed requests on every route below 500 (or 503/504), every 4xx as problem+json',
      async () => {
        const { findings, sent } = await fuzzHttp(
          operations,
          settings.httpCases,
          settings.seed,
          settings.concurrency,
          pids,
          target,
        );
        report('HTTP', sent, findings, settings.seed);
        expect(findings).toEqual([]);
      },
      timeoutMs,
    );

    it(
      'answers fuzzed workflow documents (YAML and JSON) and dry runs of them the same way',
      async () => {
        const { findings, sent } = await fuzzYaml(
          settings.yamlCases,
          settings.seed,
          settings.concurrency,
          pids,
          target.adminKey,
        );
        report('YAML', sent, findings, settings.seed);
        expect(findings).toEqual([]);
      },
      timeoutMs,
    );

    it(
      'keeps consuming after fuzzed messages on every platform topic',
      async () => {
        const { findings, sent } = await fuzzKafka(
          settings.kafkaMessages,
          settings.seed,
          schemas,
          pids,
          target,
        );
        report('Kafka', sent, findings, settings.seed);
        expect(findings).toEqual([]);
      },
      timeoutMs,
    );

    // An error a consumer logs reaches no HTTP answer: the log is the only place to see it.
    it('leaves every service the same ready process, with no error in its log', async () => {
      expect(await platformProblems(pids)).toEqual([]);
      const errors = errorLinesSince(marks);
      for (const e of errors) process.stderr.write(`fuzz: ${e.count}× in ${e.file}: ${e.sample}\n`);
      expect(errors).toEqual([]);
    });
  });
}

function report(what: string, sent: number, findings: Finding[], seed: number): void {
  process.stderr.write(
    `fuzz: ${sent} ${what} cases sent, ${findings.length} findings (seed ${seed})\n`,
  );
  for (const f of findings) process.stderr.write(`\n[${f.kind}] ${f.detail}\n  ${f.reproduce}\n`);
}
