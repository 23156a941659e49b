import { defineFuzzSuite } from '../e2e/support/fuzz/fuzz-suite';

// The long form of test/e2e/fuzz.e2e-spec.ts: thousands of cases, run on its own
// (`npm run test:fuzz`). BATON_FUZZ_SEED, _HTTP, _YAML, _KAFKA and _CONCURRENCY steer it.
defineFuzzSuite(
  { httpCases: 5000, yamlCases: 1000, kafkaMessages: 3000, concurrency: 6 },
  60 * 60_000,
);
